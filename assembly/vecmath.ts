// Vector primitives on f32 rows. Every row is 16-byte aligned and its length a multiple of 4
// (TypeScript pads the dimension), so the loops need no scalar tail.

/** Sum of a[i]*b[i] for i < n. Two accumulators hide the add latency; lanes are reduced once. */
@inline
export function dot(a: usize, b: usize, n: i32): f32 {
  let acc0 = f32x4.splat(0);
  let acc1 = f32x4.splat(0);
  const bytes = <usize>n << 2;
  let i: usize = 0;
  for (; i + 32 <= bytes; i += 32) {
    acc0 = f32x4.add(acc0, f32x4.mul(v128.load(a + i), v128.load(b + i)));
    acc1 = f32x4.add(acc1, f32x4.mul(v128.load(a + i, 16), v128.load(b + i, 16)));
  }
  if (i < bytes) acc0 = f32x4.add(acc0, f32x4.mul(v128.load(a + i), v128.load(b + i)));
  const acc = f32x4.add(acc0, acc1);
  return f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
}

/** y += alpha * x */
@inline
export function axpy(alpha: f32, x: usize, y: usize, n: i32): void {
  const a = f32x4.splat(alpha);
  const bytes = <usize>n << 2;
  for (let i: usize = 0; i < bytes; i += 16) {
    v128.store(y + i, f32x4.add(v128.load(y + i), f32x4.mul(a, v128.load(x + i))));
  }
}

/**
 * The negative-sampling step shared by skip-gram and CBOW, in one pass over the output row:
 * gradient += g * output; output += g * input.
 */
@inline
export function accumulateAndUpdate(g: f32, input: usize, output: usize, gradient: usize, n: i32): void {
  const gv = f32x4.splat(g);
  const bytes = <usize>n << 2;
  for (let i: usize = 0; i < bytes; i += 16) {
    const out = v128.load(output + i);
    v128.store(gradient + i, f32x4.add(v128.load(gradient + i), f32x4.mul(gv, out)));
    v128.store(output + i, f32x4.add(out, f32x4.mul(gv, v128.load(input + i))));
  }
}

/** x *= alpha */
@inline
export function scale(alpha: f32, x: usize, n: i32): void {
  const a = f32x4.splat(alpha);
  const bytes = <usize>n << 2;
  for (let i: usize = 0; i < bytes; i += 16) v128.store(x + i, f32x4.mul(a, v128.load(x + i)));
}

/** x = 0 */
@inline
export function zero(x: usize, n: i32): void {
  const z = f32x4.splat(0);
  const bytes = <usize>n << 2;
  for (let i: usize = 0; i < bytes; i += 16) v128.store(x + i, z);
}

/** y += x */
@inline
export function add(x: usize, y: usize, n: i32): void {
  const bytes = <usize>n << 2;
  for (let i: usize = 0; i < bytes; i += 16) v128.store(y + i, f32x4.add(v128.load(y + i), v128.load(x + i)));
}
