namespace SequentialNet.Cuda.Tests;

/// <summary>
/// <see cref="CudaDevice.IsAvailable(out string)"/> proves a GPU by opening it, creating a cuBLAS handle and
/// loading one kernel; these check that each way that can fail on a mismatched machine becomes a reason
/// (so GPU tests skip with it) and that a bug in our code does not.
/// </summary>
public class AvailabilityCheckTests
{
    [Test]
    public void ACublasHandleThatCannotBeCreatedIsAReason()
    {
        var failure = new CudaException("cuBLAS", "cublasCreate_v2", 3, "CUBLAS_STATUS_ALLOC_FAILED", "the resource allocation failed", "cublasCreate_v2(&handle)");
        Assert.That(AvailabilityCheck.Run(() => throw failure, out string reason), Is.False);
        Assert.That(reason, Does.Contain("cublasCreate_v2").And.Contain("CUBLAS_STATUS_ALLOC_FAILED"));
    }

    [Test]
    public void AKernelThatDoesNotCompileIsAReason()
    {
        var failure = new KernelCompilationException("state.cu", "error: unknown architecture", ["--gpu-architecture=sm_100"]);
        Assert.That(AvailabilityCheck.Run(() => throw failure, out string reason), Is.False);
        Assert.That(reason, Does.Contain("state.cu").And.Contain("unknown architecture"));
    }

    [Test]
    public void AMissingExportIsAReason()
    {
        Assert.That(AvailabilityCheck.Run(() => throw new EntryPointNotFoundException("cuGraphInstantiateWithFlags"), out string reason), Is.False);
        Assert.That(reason, Does.Contain("cuGraphInstantiateWithFlags"));
    }

    [Test]
    public void ABugIsNotTurnedIntoAReason()
    {
        Assert.That(() => AvailabilityCheck.Run(() => throw new NullReferenceException(), out _), Throws.TypeOf<NullReferenceException>());
    }

    [Test]
    public void ProofThatRunsToTheEndIsAvailable()
    {
        int steps = 0;
        Assert.That(AvailabilityCheck.Run(() => steps++, out string reason), Is.True);
        Assert.That(reason, Is.Empty);
        Assert.That(steps, Is.EqualTo(1));
    }
}
