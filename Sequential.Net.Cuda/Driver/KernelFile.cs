namespace SequentialNet.Cuda;

/// <summary>A CUDA source file: its name as included or reported ("unary.cu", "common.cuh") and its text.</summary>
internal sealed record KernelFile(string Name, string Source);
