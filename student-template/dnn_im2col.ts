/**
 * dnn_im2col.ts: turning image patches into columns and back.
 *
 * A convolution becomes one matrix product once every k x k patch of the padded input is laid
 * out as a column. For an input X of shape [N, C, H, W], a filter of size kH x kW, zero padding
 * p and stride s:
 *
 *   outH = (H + 2p - kH) / s + 1,  outW = (W + 2p - kW) / s + 1
 *   cols: [C * kH * kW, outH * outW * N]
 *
 * Row `(c * kH + i) * kW + j` of a column holds input channel c at filter offset (i, j).
 * Column `(y * outW + x) * N + n` is the patch of example n whose top-left corner is output
 * position (y, x). This is the layout of the classic numpy `im2col_indices`.
 *
 * This file is part of the handout and may not be modified.
 */
import * as np from './np';

export interface PatchGeometry {
  batch: number;
  channels: number;
  height: number;
  width: number;
  outHeight: number;
  outWidth: number;
}

/** The output size of a sliding window; throws when the window does not tile the input. */
export function patch_geometry(
  x_shape: readonly number[],
  field_height: number,
  field_width: number,
  padding: number,
  stride: number,
): PatchGeometry {
  if (x_shape.length !== 4) {
    throw new Error(`im2col: expected an input of shape [N, C, H, W], got [${x_shape.join(', ')}]`);
  }
  const [batch, channels, height, width] = x_shape;
  const outHeight = (height + 2 * padding - field_height) / stride + 1;
  const outWidth = (width + 2 * padding - field_width) / stride + 1;
  if (
    !Number.isInteger(outHeight) ||
    !Number.isInteger(outWidth) ||
    outHeight < 1 ||
    outWidth < 1
  ) {
    throw new Error(
      `im2col: a ${field_height}x${field_width} window with padding ${padding} and stride ` +
        `${stride} does not tile an input of ${height}x${width}`,
    );
  }
  return { batch, channels, height, width, outHeight, outWidth };
}

/** Patches of X [N, C, H, W] as columns: [C * kH * kW, outH * outW * N]. */
export function im2col_indices(
  X: np.NDArray,
  field_height: number,
  field_width: number,
  padding = 1,
  stride = 1,
): np.NDArray {
  const g = patch_geometry(X.shape, field_height, field_width, padding, stride);
  const rows = g.channels * field_height * field_width;
  const positions = g.outHeight * g.outWidth;
  const cols = new Float64Array(rows * positions * g.batch); // [rows, positions * batch]
  const x = X.data;
  const rowLength = positions * g.batch;

  for (let c = 0; c < g.channels; c++) {
    for (let i = 0; i < field_height; i++) {
      for (let j = 0; j < field_width; j++) {
        const rowStart = ((c * field_height + i) * field_width + j) * rowLength;
        for (let y = 0; y < g.outHeight; y++) {
          const inY = y * stride + i - padding;
          for (let xPos = 0; xPos < g.outWidth; xPos++) {
            const inX = xPos * stride + j - padding;
            const colStart = rowStart + (y * g.outWidth + xPos) * g.batch;
            if (inY < 0 || inY >= g.height || inX < 0 || inX >= g.width) continue; // zero padding
            for (let n = 0; n < g.batch; n++) {
              cols[colStart + n] = x[((n * g.channels + c) * g.height + inY) * g.width + inX];
            }
          }
        }
      }
    }
  }
  return new np.NDArray(cols, [rows, rowLength]);
}

/**
 * The adjoint of im2col: every column entry is added back to the input pixel it came from,
 * so overlapping patches accumulate. Returns an array of `x_shape` [N, C, H, W].
 */
export function col2im_indices(
  cols: np.NDArray,
  x_shape: readonly number[],
  field_height: number,
  field_width: number,
  padding = 1,
  stride = 1,
): np.NDArray {
  const g = patch_geometry(x_shape, field_height, field_width, padding, stride);
  const rows = g.channels * field_height * field_width;
  const positions = g.outHeight * g.outWidth;
  if (cols.ndim !== 2 || cols.shape[0] !== rows || cols.shape[1] !== positions * g.batch) {
    throw new Error(
      `col2im: expected columns of shape [${rows}, ${positions * g.batch}], ` +
        `got [${cols.shape.join(', ')}]`,
    );
  }
  const out = new Float64Array(g.batch * g.channels * g.height * g.width); // [N, C, H, W]
  const src = cols.data;
  const rowLength = positions * g.batch;

  // Same accumulation order as numpy's np.add.at over (example, row, position).
  for (let n = 0; n < g.batch; n++) {
    for (let c = 0; c < g.channels; c++) {
      for (let i = 0; i < field_height; i++) {
        for (let j = 0; j < field_width; j++) {
          const rowStart = ((c * field_height + i) * field_width + j) * rowLength;
          for (let y = 0; y < g.outHeight; y++) {
            const inY = y * stride + i - padding;
            if (inY < 0 || inY >= g.height) continue;
            for (let xPos = 0; xPos < g.outWidth; xPos++) {
              const inX = xPos * stride + j - padding;
              if (inX < 0 || inX >= g.width) continue;
              out[((n * g.channels + c) * g.height + inY) * g.width + inX] +=
                src[rowStart + (y * g.outWidth + xPos) * g.batch + n];
            }
          }
        }
      }
    }
  }
  return new np.NDArray(out, x_shape);
}
