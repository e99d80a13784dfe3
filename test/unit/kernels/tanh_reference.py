# Writes tanh_reference.json: arguments spread over tanh's ranges with tanh to 200 bits (mpmath), each as the
# nearest double `hi` and the rest `lo` (JSON numbers round-trip doubles exactly) (exact = hi + lo to ~2^-106 relative), so the test can measure errors
# in fractions of an ulp. Run: python3 test/unit/kernels/tanh_reference.py  (needs mpmath).
import json, math, os, random
import mpmath

mpmath.mp.prec = 200
rng = random.Random(20261202)
xs = []
xs += [rng.uniform(-1, 1) for _ in range(400)]
xs += [rng.uniform(0.55, 0.7) * rng.choice([-1, 1]) for _ in range(200)]          # around the 0.625 switch
xs += [rng.uniform(-25, 25) for _ in range(300)]
xs += [rng.choice([-1, 1]) * math.exp(rng.uniform(math.log(1e-300), math.log(30))) for _ in range(300)]
xs += [rng.gauss(0, 1.5) for _ in range(300)]
xs += [0.625, -0.625, math.nextafter(0.625, 0), 19.06, 19.07, 21.99, 22.0, 22.01, 1e-8, 2 ** -28, 2 ** -54, 5e-324, 1e-310]
rows = []
for x in xs:
    exact = mpmath.tanh(mpmath.mpf(x))
    hi = float(exact)
    lo = float(exact - mpmath.mpf(hi))
    rows.append([x, hi, lo])
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'tanh_reference.json')
with open(path, 'w') as f:
    json.dump({'generator': 'tanh_reference.py (mpmath, 200 bits)', 'rows': rows}, f, separators=(',', ':'))
print(f'wrote {len(rows)} rows to {path}')
