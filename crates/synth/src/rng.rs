//! SplitMix64: small, fast and the same on every machine, so a seed gives the same bytes.

pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x636F_7665_7261_6765)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in 0..n.
    pub fn below(&mut self, n: usize) -> usize {
        (self.unit() * n as f64) as usize % n.max(1)
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// A draw that is the same every month for the same key (a unit's code): a property
    /// of the unit, such as an old-system record, rather than noise of one export.
    pub fn stable_chance(key: &str, salt: &str, p: f64) -> bool {
        Rng::stable_unit(key, salt) < p
    }

    /// Uniform in [0, 1), the same every month for the same key and salt.
    pub fn stable_unit(key: &str, salt: &str) -> f64 {
        let mut h = Rng::new(0);
        for b in key.bytes().chain(salt.bytes()) {
            h.0 ^= b as u64;
            h.next_u64();
        }
        h.unit()
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}
