// 2-D max and average pooling, channels last (Sequential.Net/Backends/PoolGeometry.cs has the layout). A
// window is clipped to the image: padded cells are never the max and are not counted in the average, as in
// TensorFlow. The backward is a gather: one thread per dx element visits the windows that contain it (in
// (oy, ox) order) and adds its share, so there are no atomics and every run gives the same bits. Max sends dy
// to the first cell (row-major in the window) holding the window's maximum, as the CPU backend does; kind 2
// (PoolKind.MaxAfterRelu) is max pooling of ReLU outputs whose backward also multiplies by ReLU's derivative
// at that maximum (1 where it is > 0, else 0), so relu_grad and max_pool_grad are one pass.
#include "common.cuh"

struct PoolGeom
{
    int batch, in_h, in_w, channels, out_h, out_w;
    int pool_h, pool_w, stride_h, stride_w, pad_top, pad_left;
};

namespace pool
{

__device__ __forceinline__ void window(const PoolGeom& g, int oy, int ox, int& y0, int& y1, int& x0, int& x1)
{
    int ys = oy * g.stride_h - g.pad_top, xs = ox * g.stride_w - g.pad_left;
    y0 = ys > 0 ? ys : 0;
    x0 = xs > 0 ? xs : 0;
    y1 = ys + g.pool_h < g.in_h ? ys + g.pool_h : g.in_h;
    x1 = xs + g.pool_w < g.in_w ? xs + g.pool_w : g.in_w;
}

} // namespace pool

// Grid-stride over the y elements. kind 0 = max, 1 = average, 2 = max (of ReLU outputs).
extern "C" __global__ void pool2d_fwd_f32(const float* x, float* y, PoolGeom g, int kind)
{
    unsigned long long n = (unsigned long long)g.batch * g.out_h * g.out_w * g.channels;
    for (unsigned long long i = blockIdx.x * (unsigned long long)blockDim.x + threadIdx.x; i < n; i += (unsigned long long)gridDim.x * blockDim.x)
    {
        int c = (int)(i % (unsigned int)g.channels);
        unsigned long long pixel = i / (unsigned int)g.channels;
        int ox = (int)(pixel % (unsigned int)g.out_w), oy = (int)((pixel / (unsigned int)g.out_w) % (unsigned int)g.out_h);
        unsigned long long b = pixel / ((unsigned long long)g.out_w * g.out_h);
        int y0, y1, x0, x1;
        pool::window(g, oy, ox, y0, y1, x0, x1);
        const float* image = x + b * g.in_h * g.in_w * g.channels + c;
        float acc = image[((unsigned long long)y0 * g.in_w + x0) * g.channels];
        bool first = true;
        for (int iy = y0; iy < y1; iy++)
            for (int ix = x0; ix < x1; ix++)
            {
                if (first) { first = false; continue; }
                float v = image[((unsigned long long)iy * g.in_w + ix) * g.channels];
                if (kind != 1) { if (v > acc) acc = v; }
                else acc += v;
            }
        y[i] = kind != 1 ? acc : acc / (float)((y1 - y0) * (x1 - x0));
    }
}

// Grid-stride over the dx elements: each sums its share of every window that contains it.
extern "C" __global__ void pool2d_bwd_f32(const float* x, const float* dy, float* dx, PoolGeom g, int kind)
{
    unsigned long long n = (unsigned long long)g.batch * g.in_h * g.in_w * g.channels;
    for (unsigned long long i = blockIdx.x * (unsigned long long)blockDim.x + threadIdx.x; i < n; i += (unsigned long long)gridDim.x * blockDim.x)
    {
        int c = (int)(i % (unsigned int)g.channels);
        unsigned long long pixel = i / (unsigned int)g.channels;
        int ix = (int)(pixel % (unsigned int)g.in_w), iy = (int)((pixel / (unsigned int)g.in_w) % (unsigned int)g.in_h);
        unsigned long long b = pixel / ((unsigned long long)g.in_w * g.in_h);
        const float* image = x + b * g.in_h * g.in_w * g.channels + c;
        const float* grad = dy + b * g.out_h * g.out_w * g.channels + c;
        // Windows whose start oy*stride - pad lies in (iy - pool, iy].
        int oy_lo = iy + g.pad_top - g.pool_h + 1, ox_lo = ix + g.pad_left - g.pool_w + 1;
        oy_lo = oy_lo <= 0 ? 0 : (oy_lo + g.stride_h - 1) / g.stride_h;
        ox_lo = ox_lo <= 0 ? 0 : (ox_lo + g.stride_w - 1) / g.stride_w;
        int oy_hi = (iy + g.pad_top) / g.stride_h, ox_hi = (ix + g.pad_left) / g.stride_w;
        if (oy_hi >= g.out_h) oy_hi = g.out_h - 1;
        if (ox_hi >= g.out_w) ox_hi = g.out_w - 1;
        float s = 0.0f;
        for (int oy = oy_lo; oy <= oy_hi; oy++)
            for (int ox = ox_lo; ox <= ox_hi; ox++)
            {
                int y0, y1, x0, x1;
                pool::window(g, oy, ox, y0, y1, x0, x1);
                float d = grad[((unsigned long long)oy * g.out_w + ox) * g.channels];
                if (kind == 1) { s += d / (float)((y1 - y0) * (x1 - x0)); continue; }
                int by = y0, bx = x0;
                float best = image[((unsigned long long)y0 * g.in_w + x0) * g.channels];
                for (int wy = y0; wy < y1; wy++)
                    for (int wx = x0; wx < x1; wx++)
                    {
                        float v = image[((unsigned long long)wy * g.in_w + wx) * g.channels];
                        if (v > best) { best = v; by = wy; bx = wx; }
                    }
                if (by == iy && bx == ix) s += kind == 2 ? d * (best > 0.0f ? 1.0f : 0.0f) : d;
            }
        dx[i] = s;
    }
}
