// Convolution patches, channels last (Sequential.Net/Backends/ConvGeometry.cs has the layout). The backend
// runs a convolution as GEMMs on a workspace of patch rows, a block of rows at a time:
//  * conv_im2col_f32: P rows [r0, r0 + count) into p (count, kh*kw*C); row r = (b, oy, ox), columns
//    (ky, kx, c), cells outside the image 0 (the padding);
//  * conv_col2im_f32: dx += the rows [r0, r0 + count) of dP added back where conv_im2col_f32 read them.
//    One thread per dx element of the samples those rows touch: it sums its own contributions in (ky, kx)
//    order, so there are no atomics and every run gives the same bits.
#include "common.cuh"

struct ConvGeom
{
    int batch, in_h, in_w, in_c, out_h, out_w, out_c;
    int k_h, k_w, stride_h, stride_w, dil_h, dil_w, pad_top, pad_left;
};

// Grid-stride over count * kh*kw*C elements of p.
extern "C" __global__ void conv_im2col_f32(const float* x, float* p, ConvGeom g, int r0, int count)
{
    unsigned int k = (unsigned int)(g.k_h * g.k_w * g.in_c);
    unsigned long long n = (unsigned long long)count * k;
    unsigned int pixels = (unsigned int)(g.out_h * g.out_w);
    for (unsigned long long i = blockIdx.x * (unsigned long long)blockDim.x + threadIdx.x; i < n; i += (unsigned long long)gridDim.x * blockDim.x)
    {
        unsigned int row = (unsigned int)(i / k) + (unsigned int)r0, col = (unsigned int)(i % k);
        unsigned int b = row / pixels, pix = row % pixels;
        int oy = (int)(pix / (unsigned int)g.out_w), ox = (int)(pix % (unsigned int)g.out_w);
        int c = (int)(col % (unsigned int)g.in_c), tap = (int)(col / (unsigned int)g.in_c);
        int ky = tap / g.k_w, kx = tap % g.k_w;
        int iy = oy * g.stride_h - g.pad_top + ky * g.dil_h, ix = ox * g.stride_w - g.pad_left + kx * g.dil_w;
        bool inside = iy >= 0 && iy < g.in_h && ix >= 0 && ix < g.in_w;
        p[i] = inside ? x[(((unsigned long long)b * g.in_h + iy) * g.in_w + ix) * g.in_c + c] : 0.0f;
    }
}

// Grid-stride over the dx elements of samples [b0, b1): dx[b, iy, ix, c] += Σ dP[row, (ky, kx, c)] over the
// taps whose output pixel (oy, ox) exists and whose row lies in [r0, r0 + count).
extern "C" __global__ void conv_col2im_f32(const float* dp, float* dx, ConvGeom g, int r0, int count, int b0, int b1)
{
    unsigned int image = (unsigned int)(g.in_h * g.in_w * g.in_c);
    unsigned long long n = (unsigned long long)(b1 - b0) * image;
    unsigned int k = (unsigned int)(g.k_h * g.k_w * g.in_c);
    for (unsigned long long i = blockIdx.x * (unsigned long long)blockDim.x + threadIdx.x; i < n; i += (unsigned long long)gridDim.x * blockDim.x)
    {
        int b = b0 + (int)(i / image);
        unsigned int rest = (unsigned int)(i % image);
        int c = (int)(rest % (unsigned int)g.in_c), pixel = (int)(rest / (unsigned int)g.in_c);
        int iy = pixel / g.in_w, ix = pixel % g.in_w;
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
                long long row = ((long long)b * g.out_h + oy) * g.out_w + ox - r0;
                if (row < 0 || row >= count) continue;
                s += dp[(unsigned long long)row * k + (unsigned int)((ky * g.k_w + kx) * g.in_c + c)];
            }
        }
        dx[(unsigned long long)b * image + rest] += s;
    }
}
