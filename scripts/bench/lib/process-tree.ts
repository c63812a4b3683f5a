import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';

export interface TreeProcess {
  pid: number;
  ppid: number;
  /**
   * Resident memory, plus the files on /dev/shm the process holds open: memory too, which RSS does
   * not count (DynamoDB Local's database lives there: local-cloud's dynamodb-database.ts).
   */
  rssMiB: number;
  /**
   * Proportional memory (PSS), plus the same /dev/shm files: each page shared with other processes
   * counted as its share, so the sum over processes counts a page once. RSS counts the node binary's
   * code, about 50 MiB, again in every node process of the stack.
   */
  pssMiB: number;
  /** CPU time (user and system, every thread) the process has used since it started, in ms. */
  cpuMs: number;
  /** Of which its main thread's (the rest: worker threads, the garbage collector's, libuv's pool). */
  mainThreadCpuMs: number;
  /** Of which, in turn, in the kernel (system time): on loopback, sockets' writes and reads. */
  mainThreadSystemCpuMs: number;
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
      return {
        pid: Number(pid),
        ppid: Number(ppid),
        rssMiB: Number(kb) / 1024,
        pssMiB: 0,
        cpuMs: 0,
        mainThreadCpuMs: 0,
        mainThreadSystemCpuMs: 0,
        command: command.join(' '),
      };
    });
  const children = new Map<number, TreeProcess[]>();
  for (const row of rows) children.set(row.ppid, [...(children.get(row.ppid) ?? []), row]);
  const tree: TreeProcess[] = [];
  const stack = rows.filter((row) => row.pid === rootPid);
  while (stack.length) {
    const process = stack.pop()!;
    if (process.command.startsWith('ps -eo ')) continue;
    const main = cpuTimesOf(`/proc/${process.pid}/task/${process.pid}/stat`);
    const shm = shmMiB(process.pid);
    tree.push({
      ...process,
      rssMiB: process.rssMiB + shm,
      pssMiB: pssMiB(process.pid) + shm,
      cpuMs: sum(cpuTimesOf(`/proc/${process.pid}/stat`)),
      mainThreadCpuMs: sum(main),
      mainThreadSystemCpuMs: main.system,
    });
    stack.push(...(children.get(process.pid) ?? []));
  }
  return tree;
}

/** A process's proportional set size (smaps_rollup's `Pss`), 0 once gone. */
function pssMiB(pid: number): number {
  try {
    const kb = /^Pss:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1];
    return Number(kb ?? 0) / 1024;
  } catch {
    return 0;
  }
}

/** The size of the files on /dev/shm that a process has open, each counted once. */
function shmMiB(pid: number): number {
  const files = new Set<string>();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        if (target.startsWith('/dev/shm/')) files.add(target);
      } catch {
        // Closed since the directory was read.
      }
    }
  } catch {
    return 0; // Gone, or not this user's.
  }
  let bytes = 0;
  for (const file of files) {
    try {
      bytes += statSync(file).size;
    } catch {
      // Deleted since.
    }
  }
  return bytes / 1024 / 1024;
}

/** Resident memory (MiB) of a process and all its descendants, as TreeProcess counts it. */
export function treeRssMiB(rootPid: number): number {
  return processTree(rootPid).reduce((total, process) => total + process.rssMiB, 0);
}

/** Linux's clock ticks a second (USER_HZ), the unit of /proc/<pid>/stat's times: 100 on every kernel
 *  built for x86 and arm64. */
const TICKS_PER_SECOND = 100;

interface CpuTimes {
  user: number;
  system: number;
}
const sum = (times: CpuTimes) => times.user + times.system;

/** The CPU time (ms) a process or thread has used (utime and stime of its stat file), 0 once gone. */
function cpuTimesOf(statFile: string): CpuTimes {
  try {
    const stat = readFileSync(statFile, 'utf8');
    // Fields after the command (in parentheses, which may hold spaces): state is the 3rd field,
    // utime the 14th and stime the 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return {
      user: (Number(fields[11]) * 1000) / TICKS_PER_SECOND,
      system: (Number(fields[12]) * 1000) / TICKS_PER_SECOND,
    };
  } catch {
    return { user: 0, system: 0 };
  }
}
