using System.Reflection;
using SequentialNet.Backends.Cpu;

namespace SequentialNet.Backends;

/// <summary>
/// Chooses the backend: "cpu", "cuda" or "cuda:N" from Compile's device argument or
/// $SEQUENTIAL_DEVICE; by default CUDA when a GPU backend is registered and works, else the CPU with a
/// one-line notice saying why. An explicitly requested device that cannot be used is an error.
/// When the Sequential.Net.Cuda assembly is deployed with the application, its backend is found without
/// user code: the first device choice calls <c>SequentialNet.Cuda.CudaDevice.Register()</c> by reflection.
/// </summary>
public static class Devices
{
    private static bool _noticeShown;
    private static readonly Lock DiscoveryGate = new();
    private static bool _discoveryDone;

    /// <summary>
    /// Factory for "cuda[:N]" backends, registered by Sequential.Net.Cuda when it is loaded. It throws
    /// with the reason when no usable GPU exists.
    /// </summary>
    public static Func<int, IBackend>? CudaFactory { get; set; }

    /// <summary>The backend for <paramref name="device"/> (null: $SEQUENTIAL_DEVICE, else automatic).</summary>
    /// <exception cref="ArgumentException">Unknown device name.</exception>
    /// <exception cref="InvalidOperationException">CUDA was requested and cannot be used (the message says why).</exception>
    public static IBackend Create(string? device = null)
    {
        device ??= Environment.GetEnvironmentVariable("SEQUENTIAL_DEVICE");
        if (string.IsNullOrWhiteSpace(device) || device == "auto") return Automatic();
        device = device.Trim().ToLowerInvariant();
        if (device == "cpu") return new CpuBackend();
        if (device == "cuda" || device.StartsWith("cuda:", StringComparison.Ordinal))
        {
            int ordinal = device == "cuda" ? 0 : int.TryParse(device[5..], out int n) && n >= 0 ? n
                : throw new ArgumentException($"Unknown device \"{device}\". Expected \"cpu\", \"cuda\" or \"cuda:N\".", nameof(device));
            DiscoverCuda();
            var factory = CudaFactory ?? throw new InvalidOperationException($"Device \"{device}\" was requested, but the CUDA backend is not available: reference the Sequential.Net.Cuda package (and call SequentialNet.Cuda.CudaDevice.Register()), or use device \"cpu\".");
            try
            {
                return factory(ordinal);
            }
            catch (Exception e) when (e is InvalidOperationException or DllNotFoundException or EntryPointNotFoundException)
            {
                throw new InvalidOperationException($"Device \"{device}\" was requested, but it cannot be used: {e.Message} (Use device \"cpu\", or unset SEQUENTIAL_DEVICE, to train on the CPU.)", e);
            }
        }
        throw new ArgumentException($"Unknown device \"{device}\". Expected \"cpu\", \"cuda\" or \"cuda:N\".", nameof(device));
    }

    private static IBackend Automatic()
    {
        DiscoverCuda();
        var factory = CudaFactory;
        if (factory == null) return new CpuBackend();
        try { return factory(0); }
        catch (Exception e) when (e is InvalidOperationException or DllNotFoundException or EntryPointNotFoundException)
        {
            if (!_noticeShown) Console.Error.WriteLine($"Sequential.Net: using the CPU ({e.Message})");
            _noticeShown = true;
            return new CpuBackend();
        }
    }

    /// <summary>
    /// Once per process, when no factory is registered: if the Sequential.Net.Cuda assembly can be loaded,
    /// calls its public static <c>SequentialNet.Cuda.CudaDevice.Register()</c>, which sets
    /// <see cref="CudaFactory"/>. An absent or unloadable assembly leaves the CPU as the only device.
    /// </summary>
    private static void DiscoverCuda()
    {
        if (CudaFactory != null) return;
        lock (DiscoveryGate)
        {
            if (_discoveryDone) return;
            _discoveryDone = true;
            try
            {
                var type = Type.GetType("SequentialNet.Cuda.CudaDevice, Sequential.Net.Cuda", throwOnError: false);
                type?.GetMethod("Register", BindingFlags.Public | BindingFlags.Static, Type.EmptyTypes)?.Invoke(null, null);
            }
            catch (Exception e) when (e is IOException or BadImageFormatException or TypeLoadException or TargetInvocationException or MemberAccessException)
            {
                // A damaged or mismatched Sequential.Net.Cuda.dll: behave as if it were absent.
            }
        }
    }
}
