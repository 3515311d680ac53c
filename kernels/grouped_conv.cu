// Grouped convolution, channels last, computed directly (no GEMM): the kernel of DepthwiseConv2D,
// SeparableConv2D's depthwise step and Conv2D/Conv1D with groups > 1. x (N, H, W, C), kernel
// (kh, kw, C/groups, F) — Keras's grouped layout — and y (N, OH, OW, F); output channel f belongs to group
// f / (F/groups) and reads the input channels [group·C/groups, (group + 1)·C/groups). A depthwise kernel
// (kh, kw, C, M) is this layout with groups = C and F = C·M (channel c·M + m). The geometry is the ConvGeom
// of kernels/conv.cu (Sequential.Net/Backends/ConvGeometry.cs), in_c = C and out_c = F.
//  * gconv_fwd_f32: one thread per y element, taps in (ky, kx, ci) order;
//  * gconv_bwd_input_f32: one thread per dx element, gathering the outputs it reached (as conv_col2im_f32);
//  * gconv_bwd_filter_f32: one block of blockDim.x threads per dK element; each thread sums a fixed strided
//    share of the output pixels, then group_sum adds the shares in a fixed tree. No atomics anywhere, so every
//    run gives the same bits.
#include "common.cuh"

struct ConvGeom
{
    int batch, in_h, in_w, in_c, out_h, out_w, out_c;
    int k_h, k_w, stride_h, stride_w, dil_h, dil_w, pad_top, pad_left;
};

extern "C" __global__ void gconv_fwd_f32(const float* x, const float* k, float* y, ConvGeom g, int groups)
{
    int cg = g.in_c / groups, fg = g.out_c / groups;
    unsigned long long n = (unsigned long long)g.batch * g.out_h * g.out_w * g.out_c;
    for (unsigned long long i = blockIdx.x * (unsigned long long)blockDim.x + threadIdx.x; i < n; i += (unsigned long long)gridDim.x * blockDim.x)
    {
        int f = (int)(i % (unsigned int)g.out_c);
        unsigned long long pixel = i / (unsigned int)g.out_c;
        int ox = (int)(pixel % (unsigned int)g.out_w), oy = (int)((pixel / (unsigned int)g.out_w) % (unsigned int)g.out_h);
        unsigned long long b = pixel / ((unsigned long long)g.out_w * g.out_h);
        int c0 = (f / fg) * cg;
        float s = 0.0f;
        for (int ky = 0; ky < g.k_h; ky++)
        {
            int iy = oy * g.stride_h - g.pad_top + ky * g.dil_h;
            if (iy < 0 || iy >= g.in_h) continue;
            for (int kx = 0; kx < g.k_w; kx++)
            {
                int ix = ox * g.stride_w - g.pad_left + kx * g.dil_w;
                if (ix < 0 || ix >= g.in_w) continue;
                const float* xp = x + ((b * g.in_h + iy) * g.in_w + ix) * g.in_c + c0;
                const float* kp = k + (unsigned long long)((ky * g.k_w + kx) * cg) * g.out_c + f;
                for (int ci = 0; ci < cg; ci++) s += xp[ci] * kp[(unsigned long long)ci * g.out_c];
            }
        }
        y[i] = s;
    }
}

extern "C" __global__ void gconv_bwd_input_f32(const float* dy, const float* k, float* dx, ConvGeom g, int groups)
{
    int cg = g.in_c / groups, fg = g.out_c / groups;
    unsigned long long n = (unsigned long long)g.batch * g.in_h * g.in_w * g.in_c;
    for (unsigned long long i = blockIdx.x * (unsigned long long)blockDim.x + threadIdx.x; i < n; i += (unsigned long long)gridDim.x * blockDim.x)
    {
        int c = (int)(i % (unsigned int)g.in_c);
        unsigned long long pixel = i / (unsigned int)g.in_c;
        int ix = (int)(pixel % (unsigned int)g.in_w), iy = (int)((pixel / (unsigned int)g.in_w) % (unsigned int)g.in_h);
        unsigned long long b = pixel / ((unsigned long long)g.in_w * g.in_h);
        int ci = c % cg, f0 = (c / cg) * fg;
        float s = 0.0f;
        for (int ky = 0; ky < g.k_h; ky++)
        {
            int ty = iy + g.pad_top - ky * g.dil_h;
            if (ty < 0 || ty % g.stride_h != 0) continue;
            int oy = ty / g.stride_h;
            if (oy >= g.out_h) continue;
            for (int kx = 0; kx < g.k_w; kx++)
            {
                int tx = ix + g.pad_left - kx * g.dil_w;
                if (tx < 0 || tx % g.stride_w != 0) continue;
                int ox = tx / g.stride_w;
                if (ox >= g.out_w) continue;
                const float* dyp = dy + ((b * g.out_h + oy) * g.out_w + ox) * g.out_c + f0;
                const float* kp = k + (unsigned long long)((ky * g.k_w + kx) * cg + ci) * g.out_c + f0;
                for (int j = 0; j < fg; j++) s += dyp[j] * kp[j];
            }
        }
        dx[i] = s;
    }
}

// Launch: blockDim (blockDim.x multiple of 32, 1), any grid; blocks walk the dK elements block-uniformly so
// every thread reaches every barrier of group_sum.
extern "C" __global__ void gconv_bwd_filter_f32(const float* x, const float* dy, float* dk, ConvGeom g, int groups)
{
    __shared__ float scratch[32];
    int cg = g.in_c / groups, fg = g.out_c / groups;
    unsigned int elements = (unsigned int)(g.k_h * g.k_w * cg * g.out_c);
    unsigned long long pixels = (unsigned long long)g.batch * g.out_h * g.out_w;
    for (unsigned int e = blockIdx.x; e < elements; e += gridDim.x)
    {
        int f = (int)(e % (unsigned int)g.out_c);
        unsigned int rest = e / (unsigned int)g.out_c;
        int ci = (int)(rest % (unsigned int)cg), tap = (int)(rest / (unsigned int)cg);
        int ky = tap / g.k_w, kx = tap % g.k_w, c = (f / fg) * cg + ci;
        float s = 0.0f;
        for (unsigned long long p = threadIdx.x; p < pixels; p += blockDim.x)
        {
            int ox = (int)(p % (unsigned int)g.out_w), oy = (int)((p / (unsigned int)g.out_w) % (unsigned int)g.out_h);
            unsigned long long b = p / ((unsigned long long)g.out_w * g.out_h);
            int iy = oy * g.stride_h - g.pad_top + ky * g.dil_h, ix = ox * g.stride_w - g.pad_left + kx * g.dil_w;
            if (iy < 0 || iy >= g.in_h || ix < 0 || ix >= g.in_w) continue;
            s += x[((b * g.in_h + iy) * g.in_w + ix) * g.in_c + c] * dy[p * g.out_c + f];
        }
        s = snet::group_sum(s, scratch);
        if (threadIdx.x == 0u) dk[e] = s;
    }
}
