namespace SequentialNet.Cuda.Native;

/// <summary>The native libraries the CUDA backend binds (each one <c>internal static partial class</c>).</summary>
internal enum CudaLibrary
{
    /// <summary>The CUDA driver API, libcuda.so.1 (installed with the NVIDIA driver, not the toolkit).</summary>
    Driver,

    /// <summary>cuBLAS, libcublas.so.13/.12/.11 (CUDA toolkit).</summary>
    Cublas,

    /// <summary>NVRTC, the runtime CUDA C++ compiler, libnvrtc.so.13/.12/.11.2 (CUDA toolkit).</summary>
    Nvrtc,
}
