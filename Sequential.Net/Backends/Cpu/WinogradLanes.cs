using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SequentialNet.Backends.Cpu;

/// <summary>
/// The few vector operations the Winograd transforms need, over 8 (<see cref="Lanes256"/>) or 16
/// (<see cref="Lanes512"/>) channels: the transforms are generic over this, so each width gets its own JIT-compiled
/// copy with the operations inlined. Both give the same bits (lane-wise adds, subtracts and halvings).
/// </summary>
internal unsafe interface IWinogradLanes<T> where T : struct, IWinogradLanes<T>
{
    /// <summary>Floats per vector.</summary>
    static abstract int Count { get; }
    static abstract T Load(float* p);
    static abstract void Store(T v, float* p);
    static abstract T operator +(T a, T b);
    static abstract T operator -(T a, T b);
    /// <summary>v·½ (exact).</summary>
    static abstract T Half(T v);
}

/// <summary>8 channels (AVX2).</summary>
internal readonly unsafe struct Lanes256 : IWinogradLanes<Lanes256>
{
    private readonly Vector256<float> _v;
    private Lanes256(Vector256<float> v) => _v = v;
    public static int Count => 8;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 Load(float* p) => new(Vector256.Load(p));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Lanes256 v, float* p) => v._v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 operator +(Lanes256 a, Lanes256 b) => new(a._v + b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 operator -(Lanes256 a, Lanes256 b) => new(a._v - b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 Half(Lanes256 v) => new(v._v * Vector256.Create(0.5f));
}

/// <summary>16 channels (AVX-512).</summary>
internal readonly unsafe struct Lanes512 : IWinogradLanes<Lanes512>
{
    private readonly Vector512<float> _v;
    private Lanes512(Vector512<float> v) => _v = v;
    public static int Count => 16;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 Load(float* p) => new(Vector512.Load(p));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Lanes512 v, float* p) => v._v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 operator +(Lanes512 a, Lanes512 b) => new(a._v + b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 operator -(Lanes512 a, Lanes512 b) => new(a._v - b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 Half(Lanes512 v) => new(v._v * Vector512.Create(0.5f));
}
