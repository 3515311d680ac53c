using SequentialNet.Backends;
using System.Runtime.InteropServices;

namespace SequentialNet.Cuda.Tests.Emulated;

/// <summary>Helpers of the Emulated tests: the availability check, device arrays and launches with plain arguments.</summary>
internal static unsafe class EmulatedTestUtil
{
    /// <summary>Ignores the test (with the reason) when the emulated library cannot be used here.</summary>
    public static void RequireEmulator()
    {
        string? why = EmulatedLibrary.UnavailableReason;
        if (why != null) Assert.Ignore(why);
    }

    /// <summary>A device copy of <paramref name="values"/>.</summary>
    public static ulong Upload<T>(EmulatedDevice device, T[] values) where T : unmanaged
    {
        ulong pointer = device.Allocate((long)values.Length * sizeof(T));
        device.CopyToDevice(pointer, MemoryMarshal.AsBytes(values.AsSpan()));
        return pointer;
    }

    /// <summary>A device array of <paramref name="count"/> elements, every byte 0xFF (NaN as float, -1 as int).</summary>
    public static ulong Poisoned<T>(EmulatedDevice device, int count) where T : unmanaged
        => device.Allocate((long)count * sizeof(T));

    /// <summary>Reads <paramref name="count"/> elements back.</summary>
    public static T[] Download<T>(EmulatedDevice device, ulong pointer, int count) where T : unmanaged
    {
        var values = new T[count];
        device.CopyToHost(pointer, MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    /// <summary>
    /// Launches <paramref name="kernel"/> with arguments given as values (ulong for pointers, int, uint, float,
    /// double): each is written to 8 bytes of native memory and the pointer array is cuLaunchKernel-style.
    /// </summary>
    public static void Launch(EmulatedDevice device, string kernel, Dim3 grid, Dim3 block, int sharedBytes, params object[] args)
    {
        byte* values = stackalloc byte[8 * Math.Max(1, args.Length)];
        void** pointers = stackalloc void*[Math.Max(1, args.Length)];
        for (int i = 0; i < args.Length; i++)
        {
            byte* slot = values + 8 * i;
            switch (args[i])
            {
                case ulong v: *(ulong*)slot = v; break;
                case long v: *(long*)slot = v; break;
                case int v: *(int*)slot = v; break;
                case uint v: *(uint*)slot = v; break;
                case float v: *(float*)slot = v; break;
                case double v: *(double*)slot = v; break;
                default: throw new ArgumentException($"Unsupported kernel argument type {args[i].GetType()}.");
            }
            pointers[i] = slot;
        }
        device.Launch(kernel, grid, block, sharedBytes, pointers);
    }

    /// <summary>Uniform floats in [-1, 1) from a fixed seed.</summary>
    public static float[] RandomFloats(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }

    /// <summary>
    /// Runs <paramref name="body"/> with <c>device: "cuda"</c> mapped to a CUDA backend over a new emulated
    /// device (configured by <paramref name="configure"/>); the previous factory is restored afterwards.
    /// Returns the device the last backend was created on (null when body made none).
    /// </summary>
    public static EmulatedDevice? OnEmulatedCuda(Action body, Action<EmulatedDevice>? configure = null)
    {
        var previous = Devices.CudaFactory;
        EmulatedDevice? used = null;
        try
        {
            Devices.CudaFactory = ordinal =>
            {
                used = new EmulatedDevice();
                configure?.Invoke(used);
                return new CudaBackend(used, ordinal);
            };
            body();
        }
        finally
        {
            Devices.CudaFactory = previous;
        }
        return used;
    }
}
