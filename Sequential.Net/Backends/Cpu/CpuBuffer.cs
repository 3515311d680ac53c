using System.Runtime.InteropServices;

namespace SequentialNet.Backends.Cpu;

/// <summary>
/// CPU memory: a range of a pinned managed array, so kernels take raw pointers with no per-call
/// pinning. Views share the owner's array; host data wrapped by <see cref="CpuBackend.UseHostData"/>
/// stays pinned until disposed.
/// </summary>
internal sealed unsafe class CpuBuffer : DeviceBuffer
{
    private readonly Array? _owner;     // keeps the pinned array alive while any view of it exists
    private GCHandle _pin;
    private readonly int _length;
    private readonly bool _isInt;

    private CpuBuffer(Array? owner, void* pointer, int length, bool isInt, GCHandle pin)
    {
        _owner = owner; Pointer = pointer; _length = length; _isInt = isInt; _pin = pin;
    }

    public static CpuBuffer AllocateFloat(int length)
    {
        var array = GC.AllocateArray<float>(Math.Max(1, length), pinned: true);
        return new CpuBuffer(array, Unsafe.AsPointer(ref array[0]), length, false, default);
    }

    public static CpuBuffer AllocateInt(int length)
    {
        var array = GC.AllocateArray<int>(Math.Max(1, length), pinned: true);
        return new CpuBuffer(array, Unsafe.AsPointer(ref array[0]), length, true, default);
    }

    public static CpuBuffer Pin(float[] data)
    {
        var pin = GCHandle.Alloc(data, GCHandleType.Pinned);
        return new CpuBuffer(data, (void*)pin.AddrOfPinnedObject(), data.Length, false, pin);
    }

    public CpuBuffer Slice(int offset, int length)
    {
        if ((uint)offset > (uint)_length || (uint)length > (uint)(_length - offset))
            throw new ArgumentOutOfRangeException(nameof(offset), $"View [{offset}, {offset + length}) is outside a buffer of {_length} elements.");
        byte* start = (byte*)Pointer + (long)offset * 4;
        return new CpuBuffer(_owner, start, length, _isInt, default);
    }

    public void* Pointer { get; }
    public float* F => (float*)Pointer;
    public int* I => (int*)Pointer;
    public Span<float> Span => new(Pointer, _length);
    public Span<int> IntSpan => new(Pointer, _length);
    public override int Length => _length;
    public override bool IsInt => _isInt;

    public override void Dispose()
    {
        if (_pin.IsAllocated) _pin.Free();
        GC.KeepAlive(_owner);
    }
}
