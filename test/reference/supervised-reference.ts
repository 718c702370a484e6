// Scalar float64 reference of fastText's supervised update (Model::update with the softmax, one-vs-all,
// negative-sampling and hierarchical-softmax losses), written from fastText 0.9.2's model.cc and
// loss.cc independently of assembly/supervised.ts, for the kernel tests.

export interface ReferenceModel {
  dim: number;
  /** Input rows and output rows, plain arrays of dim numbers. */
  input: number[][];
  output: number[][];
}

export type ReferenceLoss =
  | { kind: 'softmax'; target: number }
  | { kind: 'ova'; labels: number[] }
  | { kind: 'ns'; target: number; negatives: number[] }
  | { kind: 'hs'; path: { row: number; code: number }[] };

function dot(a: number[], b: number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

const sigmoid = (x: number) => (x < -8 ? 0 : x > 8 ? 1 : 1 / (1 + Math.exp(-x)));
const stdLog = (x: number) => Math.log(x + 1e-5);

export function referenceHidden(model: ReferenceModel, rows: number[]): number[] {
  const h = new Array(model.dim).fill(0);
  for (const r of rows) for (let c = 0; c < model.dim; c++) h[c] += model.input[r][c];
  return h.map((v) => v / rows.length);
}

/** The example's loss for a hidden vector (no update). */
export function referenceLoss(model: ReferenceModel, hidden: number[], loss: ReferenceLoss): number {
  switch (loss.kind) {
    case 'softmax': {
      const scores = model.output.map((o) => dot(o, hidden));
      const max = Math.max(...scores);
      const e = scores.map((s) => Math.exp(s - max));
      const sum = e.reduce((a, b) => a + b, 0);
      return -stdLog(e[loss.target] / sum);
    }
    case 'ova':
      return model.output.reduce((acc, o, i) => {
        const s = sigmoid(dot(o, hidden));
        return acc + (loss.labels.includes(i) ? -stdLog(s) : -stdLog(1 - s));
      }, 0);
    case 'ns':
      return -stdLog(sigmoid(dot(model.output[loss.target], hidden))) + loss.negatives.reduce((acc, n) => acc - stdLog(1 - sigmoid(dot(model.output[n], hidden))), 0);
    case 'hs':
      return loss.path.reduce((acc, { row, code }) => {
        const s = sigmoid(dot(model.output[row], hidden));
        return acc + (code ? -stdLog(s) : -stdLog(1 - s));
      }, 0);
  }
}

/** One update in place; returns the loss and the hidden gradient (before it is divided by the inputs). */
export function referenceUpdate(model: ReferenceModel, rows: number[], loss: ReferenceLoss, lr: number): { loss: number; gradient: number[] } {
  const hidden = referenceHidden(model, rows);
  // As fastText, each binary term is scored against the output row as the earlier terms left it
  // (negative sampling may draw the same label twice).
  let value = loss.kind === 'softmax' ? referenceLoss(model, hidden, loss) : 0;
  const gradient = new Array(model.dim).fill(0);
  const binary = (row: number, positive: boolean) => {
    const score = sigmoid(dot(model.output[row], hidden));
    value += positive ? -stdLog(score) : -stdLog(1 - score);
    const alpha = lr * ((positive ? 1 : 0) - score);
    for (let c = 0; c < model.dim; c++) gradient[c] += alpha * model.output[row][c];
    for (let c = 0; c < model.dim; c++) model.output[row][c] += alpha * hidden[c];
  };
  if (loss.kind === 'softmax') {
    const scores = model.output.map((o) => dot(o, hidden));
    const max = Math.max(...scores);
    const e = scores.map((s) => Math.exp(s - max));
    const sum = e.reduce((a, b) => a + b, 0);
    model.output.forEach((o, i) => {
      const alpha = lr * ((i === loss.target ? 1 : 0) - e[i] / sum);
      for (let c = 0; c < model.dim; c++) gradient[c] += alpha * o[c];
      for (let c = 0; c < model.dim; c++) o[c] += alpha * hidden[c];
    });
  } else if (loss.kind === 'ova') {
    for (let i = 0; i < model.output.length; i++) binary(i, loss.labels.includes(i));
  } else if (loss.kind === 'ns') {
    binary(loss.target, true);
    for (const n of loss.negatives) binary(n, false);
  } else {
    for (const { row, code } of loss.path) binary(row, code === 1);
  }
  for (const r of rows) for (let c = 0; c < model.dim; c++) model.input[r][c] += gradient[c] / rows.length;
  return { loss: value, gradient };
}
