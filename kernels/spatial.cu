// Zero padding / cropping, nearest upsampling and per-sample channel scaling, channels last
// (Sequential.Net/Backends/PadGeometry.cs and UpSampleGeometry.cs have the layouts). Every kernel is a
// grid-stride loop over the elements it writes; the upsampling gradient is a gather (one thread per dx
// element sums its copies in row-major order, as the CPU backend does), so there are no atomics.
#include "common.cuh"

struct PadGeom
{
    int batch, in_h, in_w, channels, out_h, out_w, top, left;
};

struct UpGeom
{
    int batch, in_h, in_w, channels, size_h, size_w;
};

// y(b, oy, ox, c) = x(b, oy - top, ox - left, c) inside x, else 0 (padding when top/left >= 0, cropping when < 0).
extern "C" __global__ void pad2d_f32(const float* x, float* y, PadGeom g)
{
    unsigned long long n = (unsigned long long)g.batch * g.out_h * g.out_w * g.channels;
    for (unsigned long long i = blockIdx.x * (unsigned long long)blockDim.x + threadIdx.x; i < n; i += (unsigned long long)gridDim.x * blockDim.x)
    {
        int c = (int)(i % (unsigned int)g.channels);
        unsigned long long pixel = i / (unsigned int)g.channels;
        int iy = (int)((pixel / (unsigned int)g.out_w) % (unsigned int)g.out_h) - g.top;
        int ix = (int)(pixel % (unsigned int)g.out_w) - g.left;
        unsigned long long b = pixel / ((unsigned long long)g.out_w * g.out_h);
        bool inside = iy >= 0 && iy < g.in_h && ix >= 0 && ix < g.in_w;
        y[i] = inside ? x[((b * g.in_h + iy) * g.in_w + ix) * g.channels + c] : 0.0f;
    }
}

// y(b, oy, ox, c) = x(b, oy / size_h, ox / size_w, c).
extern "C" __global__ void upsample2d_fwd_f32(const float* x, float* y, UpGeom g)
{
    int out_h = g.in_h * g.size_h, out_w = g.in_w * g.size_w;
    unsigned long long n = (unsigned long long)g.batch * out_h * out_w * g.channels;
    for (unsigned long long i = blockIdx.x * (unsigned long long)blockDim.x + threadIdx.x; i < n; i += (unsigned long long)gridDim.x * blockDim.x)
    {
        int c = (int)(i % (unsigned int)g.channels);
        unsigned long long pixel = i / (unsigned int)g.channels;
        int ox = (int)(pixel % (unsigned int)out_w), oy = (int)((pixel / (unsigned int)out_w) % (unsigned int)out_h);
        unsigned long long b = pixel / ((unsigned long long)out_w * out_h);
        y[i] = x[((b * g.in_h + oy / g.size_h) * g.in_w + ox / g.size_w) * g.channels + c];
    }
}

// dx(b, iy, ix, c) = sum over ky < size_h, kx < size_w (row-major) of dy(b, iy*size_h + ky, ix*size_w + kx, c).
extern "C" __global__ void upsample2d_bwd_f32(const float* dy, float* dx, UpGeom g)
{
    int out_h = g.in_h * g.size_h, out_w = g.in_w * g.size_w;
    unsigned long long n = (unsigned long long)g.batch * g.in_h * g.in_w * g.channels;
    for (unsigned long long i = blockIdx.x * (unsigned long long)blockDim.x + threadIdx.x; i < n; i += (unsigned long long)gridDim.x * blockDim.x)
    {
        int c = (int)(i % (unsigned int)g.channels);
        unsigned long long pixel = i / (unsigned int)g.channels;
        int ix = (int)(pixel % (unsigned int)g.in_w), iy = (int)((pixel / (unsigned int)g.in_w) % (unsigned int)g.in_h);
        unsigned long long b = pixel / ((unsigned long long)g.in_w * g.in_h);
        const float* grad = dy + ((b * out_h + (unsigned long long)iy * g.size_h) * out_w + (unsigned long long)ix * g.size_w) * g.channels + c;
        float s = grad[0];
        for (int ky = 0; ky < g.size_h; ky++)
            for (int kx = 0; kx < g.size_w; kx++)
                if (ky != 0 || kx != 0) s += grad[((unsigned long long)ky * out_w + kx) * g.channels];
        dx[i] = s;
    }
}

// y(b, p, c) = x(b, p, c) * scale(b, c) over n = batch * pixels * channels elements.
extern "C" __global__ void scale_channels_f32(const float* x, const float* scale, float* y, unsigned int n, int pixels, int channels)
{
    unsigned int row = (unsigned int)pixels * (unsigned int)channels;
    for (unsigned int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x)
        y[i] = x[i] * scale[(i / row) * (unsigned int)channels + i % (unsigned int)channels];
}
