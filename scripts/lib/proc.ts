// Process figures for the benchmarks, read from Linux's /proc (this project's machines are Linux).
import { readdirSync, readFileSync } from "node:fs";

/** `pid` and all its descendants (npm start and next start fork children). */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1].split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      /* gone */
    }
  }
  const tree: number[] = [];
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop()!;
    tree.push(p);
    stack.push(...(children.get(p) ?? []));
  }
  return tree;
}

/** VmRSS in kB of each process of the tree below `pid` (processes gone meanwhile are left out). */
export function treeRssKb(pid: number): number[] {
  const out: number[] = [];
  for (const p of processTree(pid)) {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, "utf8"));
      if (m) out.push(Number(m[1]));
    } catch {
      /* gone */
    }
  }
  return out;
}

/** kB as MB with one decimal. */
export const kbToMb = (kb: number) => Math.round((kb / 1024) * 10) / 10;

/** CPU seconds (user + system) process `pid` has used so far, from /proc (clock ticks of 10 ms); null once it is gone. */
export function cpuSeconds(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}
