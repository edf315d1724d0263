/**
 * The environment for a child process that runs the built package (dist/). tap follows child
 * processes and collects their coverage; the bundle's coverage, mapped back onto lib/ through its
 * source map, does not line up function by function with what the test processes measure on
 * lib/, and every function a child did not call would count as a second, missed copy. So the
 * children's coverage of dist/ is left out (node_modules stays out, as tap's default has it).
 */
export function childEnv (extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, _TAPJS_PROCESSINFO_COV_EXCLUDE_: String(/[\\/](node_modules|dist)[\\/]/), ...extra }
}
