using SequentialNet.Backends;
using SequentialNet.Cuda.Native;

namespace SequentialNet.Cuda;

/// <summary>
/// Entry point of the CUDA backend. Sequential.Net finds it by itself when this assembly is deployed with
/// the application (it calls <see cref="Register()"/> through reflection the first time a device is chosen),
/// so user code normally needs nothing from here; call <see cref="Register()"/> explicitly to be independent
/// of that discovery, or <see cref="Register(bool)"/> to allow TF32.
/// </summary>
public static class CudaDevice
{
    /// <summary>
    /// Makes "cuda" and "cuda:N" (and the automatic choice) use this backend: sets
    /// <see cref="Devices.CudaFactory"/>. GEMMs stay strict FP32.
    /// </summary>
    public static void Register() => Register(allowTf32: false);

    /// <summary>
    /// As <see cref="Register()"/>; <paramref name="allowTf32"/> lets cuBLAS round FP32 GEMM inputs to TF32
    /// on Ampere and later GPUs (faster, about 3 decimal digits per product: CPU-parity tolerances no longer hold).
    /// </summary>
    public static void Register(bool allowTf32) => Devices.CudaFactory = ordinal => Create(ordinal, allowTf32);

    /// <summary>
    /// Whether GPU 0 can be used: the NVIDIA driver, a device, cuBLAS and NVRTC of a version the driver
    /// supports are present, a cuBLAS handle can be created and one kernel file compiles and loads. When
    /// not, <paramref name="reason"/> says what is missing. The answer is remembered for the process.
    /// </summary>
    public static bool IsAvailable(out string reason) => IsAvailable(0, out reason);

    private static readonly Dictionary<int, (bool Available, string Reason)> Availability = [];

    /// <summary>Whether CUDA device <paramref name="ordinal"/> can be used; when not, <paramref name="reason"/> says why.</summary>
    public static bool IsAvailable(int ordinal, out string reason)
    {
        lock (Availability)
        {
            if (!Availability.TryGetValue(ordinal, out var known))
                Availability[ordinal] = known = (AvailabilityCheck.Run(() => Prove(ordinal), out string why), why);
            reason = known.Reason;
            return known.Available;
        }
    }

    /// <summary>Opens the device (context, stream, cuBLAS handle), compiles and loads the smallest kernel file, closes it.</summary>
    private static void Prove(int ordinal)
    {
        int count = DriverDevice.InitializeDriver();
        if (ordinal < 0 || ordinal >= count)
            throw new InvalidOperationException($"CUDA device {ordinal} does not exist (this machine has {count}).");
        using var device = Open(ordinal, allowTf32: false, loadKernels: false);
        KernelCompiler.RequireArchitecture(device.ComputeCapability);
        var smallest = KernelSources.Programs.MinBy(p => p.Source.Length)
            ?? throw new InvalidOperationException("Sequential.Net.Cuda carries no kernels/*.cu (a broken build).");
        device.LoadModule(smallest, KernelSources.Headers);
    }

    /// <summary>A CUDA backend on GPU <paramref name="ordinal"/>; the device is released if the backend cannot be built.</summary>
    internal static IBackend Create(int ordinal, bool allowTf32)
    {
        var device = Open(ordinal, allowTf32);
        try
        {
            return new CudaBackend(device, ordinal);
        }
        catch
        {
            device.Dispose();
            throw;
        }
    }

    /// <summary>Opens the device, turning a missing native library or export into the clear error the callers expect.</summary>
    private static DriverDevice Open(int ordinal, bool allowTf32, bool loadKernels = true)
    {
        try
        {
            return new DriverDevice(ordinal, allowTf32, loadKernels: loadKernels);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // The resolver found the library, but it lacks an export we bind (e.g. cuGraphInstantiateWithFlags
            // needs a CUDA 11.4+ driver): say so rather than crash.
            throw new InvalidOperationException($"The installed CUDA libraries are too old or incomplete for Sequential.Net.Cuda: {e.Message}", e);
        }
    }
}
