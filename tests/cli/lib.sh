# SPDX-License-Identifier: MIT
# Copyright (c) 2026 the neardup authors
#
# Shared by the command-line tests (sourced, POSIX sh).  Each test script
# is run as `sh SCRIPT NEARDUP` with PYTHON3 in the environment; this file
# sets ND (the binary), PY, a temporary directory T removed on exit, and
# small helpers: fail, run (captures status, stdout, stderr), and the
# texts the tests are made of, all written for these tests.

set -u
ND=${1:?usage: sh TEST.sh PATH/TO/neardup}
case $ND in /*) ;; *) ND=$(pwd)/$ND ;; esac
PY=${PYTHON3:-python3}
T=$(mktemp -d "${TMPDIR:-/tmp}/nd_cli.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
trap 'exit 1' INT TERM

fail() {
    echo "FAIL: $*" >&2
    for f in "$T/out" "$T/err"; do
        [ -s "$f" ] && { echo "--- $f:" >&2; head -c 2000 "$f" >&2; }
    done
    exit 1
}

# run CMD...: status in $rc, standard output in $T/out, error in $T/err.
run() {
    rc=0
    "$@" >"$T/out" 2>"$T/err" || rc=$?
}

# expect_status N: the last run exited with N.
expect_status() {
    [ "$rc" -eq "$1" ] || fail "exit status $rc, want $1 (${2:-})"
}

# Write UTF-8 text (arguments joined by newlines) to a file.
put() {
    f=$1
    shift
    printf '%s\n' "$@" >"$f"
}

# Re-encode a UTF-8 file in place (gb18030, big5, utf-16, ...).
encode() {
    "$PY" -c 'import sys
p, enc = sys.argv[1], sys.argv[2]
b = open(p, "rb").read().decode("utf-8").encode(enc)
open(p, "wb").write(b)' "$1" "$2"
}

# Two passages, 60 characters each once punctuation is dropped, copied
# from the river text into other documents.
P1="经过连续三天的努力，共清理出各类垃圾四十多吨，拆除违规搭建的棚屋十二处，河"
P1="$P1道两岸的面貌焕然一新，附近居民看了都纷纷竖起大拇指称赞"
P2="专家建议，今后要建立长效管理机制，明确每一段河道的责任人，定期巡查，及时处"
P2="$P2理发现的问题，同时加大宣传力度，引导群众养成良好的生活习惯"

RIVER="今年夏天，县里组织了一次大规模的河道清理行动。参加行动的有机关干部、学"
RIVER="$RIVER校师生和附近村庄的群众，总人数超过两千人。大家分成若干小组，沿着"
RIVER="$RIVER河岸由上游向下游推进，捡拾垃圾，清除杂草，疏通堵塞的排水口。${P1}"
RIVER="$RIVER。"
RIVER2="行动结束以后，环保部门对河水进行了检测，各项指标都比清理前有了明显改善"
RIVER2="$RIVER2。${P2}。大家纷纷表示，保护环境要靠每一个人的自觉行动。"
SPORTS="学校的秋季运动会在上周五顺利闭幕。本届运动会共设田径、球类和趣味项目三"
SPORTS="$SPORTS十余项，全校一千多名学生报名参加。开幕式上，各班方阵精神饱满，"
SPORTS="$SPORTS口号响亮。校长在总结时提到了暑假里的一件事：${P1}。他希望同学们"
SPORTS="$SPORTS把这种团结协作的精神带到学习和生活中去。比赛期间，志愿者们忙前"
SPORTS="$SPORTS忙后，为运动员送水、记录成绩、维持秩序，得到了老师们的一致好评"
SPORTS="$SPORTS。"
LIBRARY="新建的图书馆下个月就要正式开放了。馆内设有少儿阅览区、电子阅览室和自"
LIBRARY="$LIBRARY习室，可以同时容纳三百多名读者。工作人员介绍说，馆藏图书已经"
LIBRARY="$LIBRARY超过五万册，今后还会根据读者的需要不断补充。在筹备会上，有人"
LIBRARY="$LIBRARY提起了河道治理的经验：${P2}。图书馆的管理也可以借鉴这些做法，"
LIBRARY="$LIBRARY让更多的人愿意走进来、坐下来、读下去。"
TOURISM="近年来，我市大力发展乡村旅游，先后打造了十多个特色村落。游客们可以在"
TOURISM="$TOURISM这里采摘水果、体验农事、品尝地道的农家菜。为了提高服务水平，"
TOURISM="$TOURISM旅游部门定期组织民宿经营者参加培训，学习接待礼仪和安全知识。"
TOURISM="$TOURISM许多年轻人也回到家乡创业，开起了咖啡馆和手工作坊，给古老的村"
TOURISM="$TOURISM庄带来了新的活力。"

# two_speeches FILE: two speeches, each a title line, a salutation and a
# body, with two blank lines between them.
two_speeches() {
    put "$1" "在全县河道治理工作会议上的讲话" "同志们：" "$RIVER" "$RIVER2" \
        "" "" "在学校秋季运动会闭幕式上的讲话" "老师们、同学们：" "$SPORTS"
}

# hostile_corpus DIR: river.txt lends passages to sports.txt (UTF-8 with
# BOM), library.txt (GB18030) and evil.txt; tourism.txt shares nothing.
# evil.txt holds markup (<script>, </textarea>, <b>, a comment), quotes,
# '&', a comma, CR LF line ends and one invalid byte (\377) before the
# copied passage.
hostile_corpus() {
    mkdir -p "$1"
    put "$1/river.txt" "$RIVER" "$RIVER2"
    printf '\357\273\277%s\n' "$SPORTS" >"$1/sports.txt"
    put "$1/library.txt" "$LIBRARY"
    encode "$1/library.txt" gb18030
    put "$1/tourism.txt" "$TOURISM"
    printf '%s\r\n%s\r\n%s\377\r\n%s\r\n' \
        '<script>alert("x")</script> & </textarea> </script><!-- "q" '"'s'"', c' \
        "$TOURISM" '末行：<b>粗体</b>&amp;' "引用如下：${P1}。完" >"$1/evil.txt"
}
