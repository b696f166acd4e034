#!/usr/bin/env bash
# Times `safeguard homes monitor` on a synthetic panel (default 2,000 homes x 36 months) made by its own
# simple generator (python3, seeded): three specialisms, per-home rate differences (gamma), NB-bursty
# counts, 5% of homes turning harmful at month 24 (restraint/injury/missing x2.5, complaints x0.3).
#   bench/homes_monitor.sh [HOMES] [MONTHS]     SAFEGUARD_BIN overrides build/safeguard;
#   HARM_PCT=0 makes every home in control, so every signal is a false alarm (the rate is printed).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${SAFEGUARD_BIN:-$root/build/safeguard}
homes=${1:-2000}; months=${2:-36}
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
python3 - "$dir" "$homes" "$months" "${HARM_PCT:-5}" <<'PY'
import random, sys, math
d, H, M = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rnd = random.Random(42)
kinds = ["restraint","injury","missing","police","complaint","self_harm","notification","allegation"]
base = {"restraint":0.010,"injury":0.006,"missing":0.008,"police":0.004,"complaint":0.003,"self_harm":0.003,
        "notification":0.005,"allegation":0.001}
specs = {"emotional_behavioural":1.5,"disability":0.7,"general":1.0}
def pois(l):
    if l < 30:
        L, k, p = math.exp(-l), 0, 1.0
        while True:
            p *= rnd.random()
            if p <= L: return k
            k += 1
    return max(0, int(round(rnd.gauss(l, math.sqrt(l)))))
with open(f"{d}/homes.csv","w") as h, open(f"{d}/occupancy.csv","w") as o, open(f"{d}/incidents.csv","w") as inc:
    h.write("home_id,name,provider,la_code,specialism,places,rating\n")
    o.write("home_id,month,child_nights\n"); inc.write("home_id,date,type\n")
    for i in range(H):
        sp = rnd.choice(list(specs)); places = rnd.randint(2, 6)
        h.write(f"H{i:05d},Home {i},P{i%50},E{i%150:03d},{sp},{places},good\n")
        mult = rnd.gammavariate(8, 1/8); harmful = rnd.random() < float(sys.argv[4]) / 100
        for t in range(M):
            y, m = 2023 + t // 12, t % 12 + 1
            nights = 0 if rnd.random() < 0.01 else int(places * 30 * rnd.uniform(0.6, 1.0))
            o.write(f"H{i:05d},{y:04d}-{m:02d},{nights}\n")
            for k in kinds:
                r = base[k] * specs[sp] * mult
                if harmful and t >= 24:
                    r *= 2.5 if k in ("restraint","injury","missing") else 0.3 if k == "complaint" else 1
                lam = nights * r * rnd.gammavariate(4, 1/4)
                for _ in range(pois(lam)):
                    inc.write(f"H{i:05d},{y:04d}-{m:02d}-{rnd.randint(1,28):02d},{k}\n")
PY
wc -l "$dir"/*.csv | sed 's/^/bench: /'
start=$(date +%s.%N)
"$bin" homes monitor --homes "$dir/homes.csv" --occupancy "$dir/occupancy.csv" --incidents "$dir/incidents.csv" \
  --out "$dir/alerts.csv"
end=$(date +%s.%N)
echo "bench: homes monitor ${homes} homes x ${months} months: $(echo "$end - $start" | bc) s wall (incl. reading CSV), $(($(wc -l <"$dir/alerts.csv") - 1)) signals"
if [ "${HARM_PCT:-5}" = 0 ]; then
  echo "bench: in control: $(echo "scale=2; ($(wc -l <"$dir/alerts.csv") - 1) * 1200 / ($homes * $months)" | bc) false alarms per 100 home-years"
fi
