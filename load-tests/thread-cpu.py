#!/usr/bin/env python3
# load-tests/thread-cpu.py PID SECONDS [names]: CPU (cores) of a JVM per thread group between two /proc samples
import os, sys, time, re, collections
pid, secs = sys.argv[1], float(sys.argv[2])
hz = os.sysconf('SC_CLK_TCK')
def snap():
    d = {}
    for t in os.listdir(f"/proc/{pid}/task"):
        try:
            s = open(f"/proc/{pid}/task/{t}/stat").read()
            name = s[s.index('(')+1:s.rindex(')')]
            f = s[s.rindex(')')+2:].split()
            d[t] = (name, int(f[11]) + int(f[12]))
        except Exception: pass
    return d
def group(n):
    for pat, g in [("StreamThread|^foldin-", "stream and global threads"), ("GC Thread|VM Thread|G1|ParGC|GC ", "gc"),
                   ("C2 Comp|C1 Comp", "jit"), ("producer-netw|kafka-producer", "producer I/O"), ("request-han|data-plane-kafk", "broker request handlers"),
                   ("network-thr|socket-serv|Acceptor|-network", "broker network"), ("log-cleaner|kafka-log-clea", "broker log cleaner"),
                   ("rocksdb", "rocksdb background"), ("vert.x", "http"), ("kafka-sched|ReplicaFetch|raft|quorum|broker|Controller|controller|kafka", "broker other")]:
        if re.search(pat, n): return g
    return "other"
a = snap(); t0 = time.time(); time.sleep(secs); b = snap(); dt = time.time() - t0
g = collections.Counter(); names = collections.Counter()
for t, (n, c) in b.items():
    d = c - a.get(t, (n, 0))[1]
    g[group(n)] += d; names[n] += d
tot = sum(g.values())
print(f"total {tot/hz/dt:.2f} cores over {dt:.0f}s")
for k, v in g.most_common(): print(f"  {k:26s} {v/hz/dt:.3f}")
if len(sys.argv) > 3:
    for k, v in names.most_common(25): print(f"    {k:30s} {v/hz/dt:.3f}")
