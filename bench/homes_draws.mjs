// Draws from a uniform source u() in (0, 1), shared by the homes generators that are otherwise written apart
// (bench/homes_gen_c.mjs, bench/homes_gen_null.mjs): each keeps its own uniform generator, so their streams stay
// independent; only how a normal, a Poisson count and an integer are made from it is one piece of code.
export function draws(u) {
  const normal = () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
  const poisson = (mu) => {
    if (mu <= 0) return 0;
    if (mu > 30) return Math.max(0, Math.round(mu + Math.sqrt(mu) * normal()));
    const L = Math.exp(-mu); let k = 0; let p = u();
    while (p > L && k < 1000) { k++; p *= u(); } // bounded: a count past 1,000 at mu <= 30 has no chance
    return k;
  };
  const int = (lo, hi) => lo + Math.floor(u() * (hi - lo + 1));
  return { u, normal, poisson, int };
}
