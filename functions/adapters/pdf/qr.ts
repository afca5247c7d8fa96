/** The QR code (requisite 31) as rectangles: one per run of dark modules, filled once. */

import QRCode from 'qrcode';

export interface QrRect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** The quiet zone the code keeps around itself, in modules. */
export const quietModules = 4;

/**
 * The dark runs of the code for `payload`, scaled so that the code with its quiet zone fills a
 * square of `size` with its top left corner at (x, y).
 */
export function qrRects(payload: string, x: number, y: number, size: number): QrRect[] {
  const { modules } = QRCode.create(payload, { errorCorrectionLevel: 'M' });
  const count = modules.size;
  const module = size / (count + 2 * quietModules);
  const rects: QrRect[] = [];
  for (let row = 0; row < count; row++) {
    let col = 0;
    while (col < count) {
      if (!modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < count && modules.get(row, col)) col++;
      rects.push({
        x: x + (quietModules + start) * module,
        y: y + (quietModules + row) * module,
        width: (col - start) * module,
        height: module,
      });
    }
  }
  return rects;
}
