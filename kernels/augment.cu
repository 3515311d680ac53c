// Image augmentation: a per-sample random affine warp of (batch, height, width, channels) images. Sample b's
// transform is drawn from Philox (common.cuh) at (seed, step, stream, b*8 + k), the step read on the device
// from counters[step_slot]; the float expressions are those of Sequential.Net/Backends/AugmentMath.cs, so the
// CPU backend draws the same transforms. One thread per output element, grid-stride.
#include "common.cuh"

namespace {

__device__ __forceinline__ float augment_uniform(unsigned long long seed, unsigned int step, unsigned int stream, unsigned int index)
{
    snet::Philox4 r = snet::philox4x32_10(index >> 2, step, stream, 0u, (unsigned int)seed, (unsigned int)(seed >> 32));
    unsigned int k = index & 3u;
    unsigned int word = k == 0u ? r.a : k == 1u ? r.b : k == 2u ? r.c : r.d;
    return snet::uniform_from_word(word);
}

__device__ __forceinline__ float augment_lerp(float lower, float upper, float u)
{
    return __fadd_rn(lower, __fmul_rn(__fadd_rn(upper, -lower), u));
}

// fill: 0 reflect, 1 constant (handled by the caller), 2 nearest, 3 wrap.
__device__ __forceinline__ int augment_index(int i, int n, int fill)
{
    if (i >= 0 && i < n) return i;
    if (fill == 3) { int m = i % n; return m < 0 ? m + n : m; }
    if (fill == 0)
    {
        int period = 2 * n, m = i % period;
        if (m < 0) m += period;
        return m >= n ? period - 1 - m : m;
    }
    return i < 0 ? 0 : n - 1;
}

__device__ __forceinline__ float augment_fetch(const float* image, int height, int width, int channels, int c, int y, int x, int fill, float fill_value)
{
    if (fill == 1 && (y < 0 || y >= height || x < 0 || x >= width)) return fill_value;
    return image[((long long)augment_index(y, height, fill) * width + augment_index(x, width, fill)) * channels + c];
}

} // namespace

// flags: bit 0 horizontal flip, bit 1 vertical flip, bit 2 width zoom follows height. interp: 0 bilinear, 1 nearest.
extern "C" __global__ void affine_warp_f32(const float* src, float* dst, int batch, int height, int width, int channels, int flags,
    float rot_lo, float rot_hi, float th_lo, float th_hi, float tw_lo, float tw_hi, float zh_lo, float zh_hi, float zw_lo, float zw_hi,
    int fill, float fill_value, int interp, unsigned long long seed, unsigned int stream, const int* counters, int step_slot)
{
    unsigned int step = (unsigned int)counters[step_slot];
    long long image = (long long)height * width * channels;
    long long n = image * batch;
    long long stride = (long long)gridDim.x * blockDim.x;
    float cx = __fmul_rn((float)(width - 1), 0.5f), cy = __fmul_rn((float)(height - 1), 0.5f);
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride)
    {
        int b = (int)(i / image);
        int rest = (int)(i - (long long)b * image);
        int c = rest % channels, pixel = rest / channels;
        int x = pixel % width, y = pixel / width;
        unsigned int base = (unsigned int)b * 8u;
        bool flip_x = (flags & 1) && augment_uniform(seed, step, stream, base + 0u) < 0.5f;
        bool flip_y = (flags & 2) && augment_uniform(seed, step, stream, base + 1u) < 0.5f;
        float angle = __fmul_rn(augment_lerp(rot_lo, rot_hi, augment_uniform(seed, step, stream, base + 2u)), 6.28318530717958647692f);
        float ty = __fmul_rn(augment_lerp(th_lo, th_hi, augment_uniform(seed, step, stream, base + 3u)), (float)height);
        float tx = __fmul_rn(augment_lerp(tw_lo, tw_hi, augment_uniform(seed, step, stream, base + 4u)), (float)width);
        float zy = __fadd_rn(1.0f, augment_lerp(zh_lo, zh_hi, augment_uniform(seed, step, stream, base + 5u)));
        float zx = (flags & 4) ? zy : __fadd_rn(1.0f, augment_lerp(zw_lo, zw_hi, augment_uniform(seed, step, stream, base + 6u)));
        float cs = cosf(angle), sn = sinf(angle);
        float xs = flip_x ? (float)(width - 1 - x) : (float)x, ys = flip_y ? (float)(height - 1 - y) : (float)y;
        float dx = __fmul_rn(__fadd_rn(xs, -cx), zx), dy = __fmul_rn(__fadd_rn(ys, -cy), zy);
        float sx = __fadd_rn(__fadd_rn(__fadd_rn(__fmul_rn(cs, dx), -__fmul_rn(sn, dy)), cx), -tx);
        float sy = __fadd_rn(__fadd_rn(__fadd_rn(__fmul_rn(sn, dx), __fmul_rn(cs, dy)), cy), -ty);
        const float* img = src + (long long)b * image;
        float v;
        if (interp == 1)
        {
            v = augment_fetch(img, height, width, channels, c, (int)rintf(sy), (int)rintf(sx), fill, fill_value);
        }
        else
        {
            float fx0 = floorf(sx), fy0 = floorf(sy);
            float wx = __fadd_rn(sx, -fx0), wy = __fadd_rn(sy, -fy0);
            int x0 = (int)fx0, y0 = (int)fy0;
            float top = __fadd_rn(__fmul_rn(__fadd_rn(1.0f, -wx), augment_fetch(img, height, width, channels, c, y0, x0, fill, fill_value)),
                                  __fmul_rn(wx, augment_fetch(img, height, width, channels, c, y0, x0 + 1, fill, fill_value)));
            float bottom = __fadd_rn(__fmul_rn(__fadd_rn(1.0f, -wx), augment_fetch(img, height, width, channels, c, y0 + 1, x0, fill, fill_value)),
                                     __fmul_rn(wx, augment_fetch(img, height, width, channels, c, y0 + 1, x0 + 1, fill, fill_value)));
            v = __fadd_rn(__fmul_rn(__fadd_rn(1.0f, -wy), top), __fmul_rn(wy, bottom));
        }
        dst[i] = v;
    }
}
