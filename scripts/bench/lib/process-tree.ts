import { execFileSync } from 'node:child_process';

export interface TreeProcess {
  pid: number;
  ppid: number;
  rssMiB: number;
  /** The command line, as ps shows it. */
  command: string;
}

/** A process and all its descendants (the `ps` that lists them left out), with their resident memory. */
export function processTree(rootPid: number): TreeProcess[] {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,rss=,args='], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  })
    .trim()
    .split('\n')
    .map((line) => {
      const [pid, ppid, kb, ...command] = line.trim().split(/\s+/);
      return { pid: Number(pid), ppid: Number(ppid), rssMiB: Number(kb) / 1024, command: command.join(' ') };
    });
  const children = new Map<number, TreeProcess[]>();
  for (const row of rows) children.set(row.ppid, [...(children.get(row.ppid) ?? []), row]);
  const tree: TreeProcess[] = [];
  const stack = rows.filter((row) => row.pid === rootPid);
  while (stack.length) {
    const process = stack.pop()!;
    if (process.command.startsWith('ps -eo ')) continue;
    tree.push(process);
    stack.push(...(children.get(process.pid) ?? []));
  }
  return tree;
}

/** Resident memory (MiB) of a process and all its descendants. */
export function treeRssMiB(rootPid: number): number {
  return processTree(rootPid).reduce((total, process) => total + process.rssMiB, 0);
}
