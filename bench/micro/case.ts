/** One micro-benchmark: `fn` does one operation's worth of work (`unitsPerOp` `unit`s). */
export interface Case {
  group: string;
  variant: string;
  name: string;
  unitsPerOp: number;
  unit: string;
  fn: () => void;
}
