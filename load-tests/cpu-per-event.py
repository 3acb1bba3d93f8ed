#!/usr/bin/env python3
import os, time, re, sys
# load-tests/cpu-per-event.py N [MATCH]: for each running `serve` JVM whose command line holds MATCH (default
# "foldin"), started by the launcher (the relaunched child): CPU seconds (utime+stime of the JVM) per user-side event
# over the run's steady part, from the first sample with >= 25% of the events to the last before the count
# stops growing; plus the whole run's CPU. One line per finished serve.
N = int(sys.argv[1]); MATCH = sys.argv[2] if len(sys.argv) > 2 else 'foldin'
hz = os.sysconf('SC_CLK_TCK'); runs = {}
def cpu(pid):
    s = open(f"/proc/{pid}/stat").read(); f = s[s.rindex(')')+2:].split()
    return (int(f[11]) + int(f[12])) / hz
while True:
    alive = set()
    for p in os.listdir('/proc'):
        if not p.isdigit(): continue
        try: cmd = open(f'/proc/{p}/cmdline').read().split('\0')
        except Exception: continue
        if 'serve' in cmd and any(MATCH in c for c in cmd) and any('launcher.parent' in c for c in cmd):
            alive.add(p)
            try:
                sd = cmd[cmd.index('--state-dir') + 1]
                ev = None
                for line in open(os.path.join(os.path.dirname(sd), 'serve.log')):
                    if 'progress' in line: ev = line
                m = re.search(r'events_user=(\d+) events_item=(\d+)', ev or '')
                e = int(m.group(1)) if m else 0
                c = cpu(p)
                r = runs.setdefault(p, {'jar': [x for x in cmd if MATCH in x][0],
                                        'gc': ' '.join(x for x in cmd if 'GC' in x or 'Tenuring' in x), 'first': None, 'last': None})
                if e >= N // 4 and r['first'] is None: r['first'] = (c, e)
                if r['last'] is None or e > r['last'][1]: r['last'] = (c, e)
                r['total'] = c
            except Exception: pass
    for p in list(runs):
        if p not in alive:
            r = runs.pop(p)
            f, l = r['first'], r['last']
            slope = 1e6 * (l[0] - f[0]) / (l[1] - f[1]) if f and l and l[1] > f[1] else float('nan')
            print(f"{time.strftime('%H:%M:%S', time.gmtime())} {r['jar']} [{r['gc']}] steady_cpu_us_per_event={slope:.1f} "
                  f"(events {f[1] if f else None}..{l[1] if l else None}) total_cpu_s={r.get('total', 0):.1f} load={open('/proc/loadavg').read().split()[0]}", flush=True)
    time.sleep(0.5)
