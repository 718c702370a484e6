// Non-inlined entry points to the vector primitives, for tests and micro-benchmarks.
import { dot as dotInline, axpy as axpyInline } from './vecmath';

export function dot(a: usize, b: usize, n: i32): f32 {
  return dotInline(a, b, n);
}

export function axpy(alpha: f32, x: usize, y: usize, n: i32): void {
  axpyInline(alpha, x, y, n);
}
