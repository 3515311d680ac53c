// Image augmentation on (batch, height, width, channels) images: a per-sample random affine warp (sample b's
// transform drawn from Philox (common.cuh) at (seed, step, stream, b*8 + k)) and a crop-and-resize (one random
// offset per batch drawn at (seed, step, stream, 0 and 1), or a fixed box), the step read on the device from
// counters[step_slot]. The float expressions are those of Sequential.Net/Backends/AugmentMath.cs, so the CPU
// backend computes the same images. The warp's transforms are drawn once per sample (affine_params_f32), then
// applied with one thread per output element, grid-stride.
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

// Each sample's transform, once per sample (not per element): params[b * 8 + k] = flip x (0/1), flip y, cos,
// sin, zoom x, zoom y, translation x, translation y. flags: bit 0 horizontal flip, bit 1 vertical flip, bit 2
// width zoom follows height. One thread per sample, grid-stride.
extern "C" __global__ void affine_params_f32(float* params, int batch, int height, int width, int flags,
    float rot_lo, float rot_hi, float th_lo, float th_hi, float tw_lo, float tw_hi, float zh_lo, float zh_hi, float zw_lo, float zw_hi,
    unsigned long long seed, unsigned int stream, const int* counters, int step_slot)
{
    unsigned int step = (unsigned int)counters[step_slot];
    unsigned int stride = gridDim.x * blockDim.x;
    for (unsigned int b = blockIdx.x * blockDim.x + threadIdx.x; b < (unsigned int)batch; b += stride)
    {
        unsigned int base = b * 8u;
        bool flip_x = (flags & 1) && augment_uniform(seed, step, stream, base + 0u) < 0.5f;
        bool flip_y = (flags & 2) && augment_uniform(seed, step, stream, base + 1u) < 0.5f;
        float angle = __fmul_rn(augment_lerp(rot_lo, rot_hi, augment_uniform(seed, step, stream, base + 2u)), 6.28318530717958647692f);
        float ty = __fmul_rn(augment_lerp(th_lo, th_hi, augment_uniform(seed, step, stream, base + 3u)), (float)height);
        float tx = __fmul_rn(augment_lerp(tw_lo, tw_hi, augment_uniform(seed, step, stream, base + 4u)), (float)width);
        float zy = __fadd_rn(1.0f, augment_lerp(zh_lo, zh_hi, augment_uniform(seed, step, stream, base + 5u)));
        float zx = (flags & 4) ? zy : __fadd_rn(1.0f, augment_lerp(zw_lo, zw_hi, augment_uniform(seed, step, stream, base + 6u)));
        float* p = params + base;
        p[0] = flip_x ? 1.0f : 0.0f; p[1] = flip_y ? 1.0f : 0.0f; p[2] = cosf(angle); p[3] = sinf(angle);
        p[4] = zx; p[5] = zy; p[6] = tx; p[7] = ty;
    }
}

// Warps every element with its sample's transform from affine_params_f32. interp: 0 bilinear, 1 nearest.
extern "C" __global__ void affine_warp_f32(const float* src, float* dst, const float* params, int batch, int height, int width, int channels,
    int fill, float fill_value, int interp)
{
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
        const float* p = params + (long long)b * 8;
        float cs = p[2], sn = p[3], zx = p[4], zy = p[5], tx = p[6], ty = p[7];
        float xs = p[0] != 0.0f ? (float)(width - 1 - x) : (float)x, ys = p[1] != 0.0f ? (float)(height - 1 - y) : (float)y;
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

namespace {

// floor(u * (last + 1)) in float, at most last: a random crop offset (AugmentMath.CropOffset).
__device__ __forceinline__ int crop_offset(float u, int last)
{
    int o = (int)floorf(__fmul_rn(u, (float)(last + 1)));
    return o < last ? o : last;
}

// TF's half-pixel rule: output index o of a box of `size` reads lower/upper with weight lerp on upper.
__device__ __forceinline__ void crop_neighbours(int o, float scale, int size, int* lower, int* upper, float* lerp)
{
    float at = __fadd_rn(__fmul_rn(__fadd_rn((float)o, 0.5f), scale), -0.5f);
    float low = floorf(at);
    int lo = (int)low, hi = (int)ceilf(at);
    *lower = lo > 0 ? lo : 0;
    *upper = hi < size - 1 ? hi : size - 1;
    *lerp = __fadd_rn(at, -low);
}

} // namespace

// dst(batch, out_h, out_w, channels) = a box of each src(batch, height, width, channels) image resized bilinearly
// (a box of the output size is copied). random != 0: an (out_h, out_w) window at one Philox offset for the whole
// batch; otherwise the box (box_top, box_left, box_h, box_w).
extern "C" __global__ void crop_resize_f32(const float* src, float* dst, int batch, int height, int width, int channels,
    int out_h, int out_w, int random, int box_top, int box_left, int box_h, int box_w,
    unsigned long long seed, unsigned int stream, const int* counters, int step_slot)
{
    int top = box_top, left = box_left, rows = box_h, columns = box_w;
    if (random)
    {
        unsigned int step = (unsigned int)counters[step_slot];
        top = crop_offset(augment_uniform(seed, step, stream, 0u), height - out_h);
        left = crop_offset(augment_uniform(seed, step, stream, 1u), width - out_w);
        rows = out_h; columns = out_w;
    }
    bool copy = rows == out_h && columns == out_w;
    float scale_y = __fdiv_rn((float)rows, (float)out_h), scale_x = __fdiv_rn((float)columns, (float)out_w);
    long long image = (long long)height * width * channels;
    long long out_image = (long long)out_h * out_w * channels;
    long long n = out_image * batch;
    long long stride = (long long)gridDim.x * blockDim.x;
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride)
    {
        int b = (int)(i / out_image);
        int rest = (int)(i - (long long)b * out_image);
        int c = rest % channels, pixel = rest / channels;
        int x = pixel % out_w, y = pixel / out_w;
        const float* img = src + (long long)b * image + ((long long)top * width + left) * channels + c;
        float v;
        if (copy)
        {
            v = img[((long long)y * width + x) * channels];
        }
        else
        {
            int y0, y1, x0, x1;
            float ly, lx;
            crop_neighbours(y, scale_y, rows, &y0, &y1, &ly);
            crop_neighbours(x, scale_x, columns, &x0, &x1, &lx);
            float a = img[((long long)y0 * width + x0) * channels], bb = img[((long long)y0 * width + x1) * channels];
            float d = img[((long long)y1 * width + x0) * channels], e = img[((long long)y1 * width + x1) * channels];
            float upper = __fadd_rn(a, __fmul_rn(__fadd_rn(bb, -a), lx));
            float lower = __fadd_rn(d, __fmul_rn(__fadd_rn(e, -d), lx));
            v = __fadd_rn(upper, __fmul_rn(__fadd_rn(lower, -upper), ly));
        }
        dst[i] = v;
    }
}
