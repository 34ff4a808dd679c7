# SPDX-License-Identifier: MIT
# Copyright (c) 2026 the neardup authors
#
# Run a command with a time limit, standard output and error to files, and
# report its exit status, peak resident memory and wall time:
#   python3 measure.py SECONDS OUT ERR CMD...
# prints "STATUS MAXRSS_KB SECONDS"; a command still running after SECONDS
# is killed and the status printed is "hang".
import resource
import subprocess
import sys
import time

limit, out, err, cmd = float(sys.argv[1]), sys.argv[2], sys.argv[3], \
    sys.argv[4:]
t0 = time.monotonic()
with open(out, "wb") as fo, open(err, "wb") as fe:
    p = subprocess.Popen(cmd, stdout=fo, stderr=fe, stdin=subprocess.DEVNULL)
    try:
        status = p.wait(timeout=limit)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
        status = "hang"
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(status, rss, "%.1f" % (time.monotonic() - t0))
