package org.stealbench.data.transform;

/** Bilinear sampling of one image plane, shared by resizing, cropping and rotation. */
final class Resampling {

    private Resampling() {
    }

    /**
     * Resamples the window (top, left, cropH x cropW) of a {@code h x w} plane to
     * {@code outH x outW}, bilinear with half-pixel centres and edge clamping.
     */
    static void bilinear(float[] src, int srcOff, int h, int w, float top, float left, float cropH, float cropW,
                         float[] dst, int dstOff, int outH, int outW) {
        float sy = cropH / outH;
        float sx = cropW / outW;
        for (int y = 0; y < outH; y++) {
            float fy = top + (y + 0.5f) * sy - 0.5f;
            fy = Math.max(0, Math.min(h - 1, fy));
            int y0 = (int) fy;
            int y1 = Math.min(y0 + 1, h - 1);
            float wy = fy - y0;
            int r0 = srcOff + y0 * w;
            int r1 = srcOff + y1 * w;
            for (int x = 0; x < outW; x++) {
                float fx = left + (x + 0.5f) * sx - 0.5f;
                fx = Math.max(0, Math.min(w - 1, fx));
                int x0 = (int) fx;
                int x1 = Math.min(x0 + 1, w - 1);
                float wx = fx - x0;
                float a = src[r0 + x0] + (src[r0 + x1] - src[r0 + x0]) * wx;
                float b = src[r1 + x0] + (src[r1 + x1] - src[r1 + x0]) * wx;
                dst[dstOff + y * outW + x] = a + (b - a) * wy;
            }
        }
    }
}
