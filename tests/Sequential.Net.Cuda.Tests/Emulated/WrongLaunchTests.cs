using SequentialNet.Backends.Cpu;
using SequentialNet.Tests.Graph;
using static SequentialNet.Cuda.Tests.Emulated.EmulatedTestUtil;

namespace SequentialNet.Cuda.Tests.Emulated;

/// <summary>
/// The parity checks catch a deliberately wrong launch: a grid one block short leaves elements unwritten,
/// they keep their NaN poison (or, in training memory, zeros and stale values), and the comparison with
/// the CPU fails. The same checks pass without the fault (here first, or as the regular Emulated test).
/// </summary>
/// <remarks>
/// Most kernels of kernels/*.cu walk their data with grid-stride loops, which stay correct with any grid:
/// there a short grid is harmless by construction. sum_rows_f32 (the bias gradient) and the batch-norm
/// column reductions (batchnorm_stats_f32, batchnorm_bwd_reduce_f32) give each block one tile of 32 columns
/// and no loop, so their grids must cover every tile. To watch the regular tests fail, run them with
/// <see cref="EmulatedDevice.ShortGridVariable"/>=sum_rows_f32 (or one of the batch-norm kernels).
/// </remarks>
[Category("Emulated"), NonParallelizable]
public class WrongLaunchTests
{
    /// <summary>The launches of <paramref name="target"/> with more than one block get one block fewer (a grid of 0 would just be rejected).</summary>
    private static (Dim3 Grid, Dim3 Block) OneBlockShort(string kernel, Dim3 grid, Dim3 block, string target)
        => kernel == target && grid.X > 1 ? (grid with { X = grid.X - 1 }, block) : (grid, block);

    [Test]
    public void OneElementPerThreadKernelWithAGridOneBlockShortFailsParity()
    {
        RequireEmulator();
        const int n = 1000, threads = 128;
        float[] x = RandomFloats(n, seed: 1);
        float[] expected = x.Select(v => 2.5f * v).ToArray();
        using var device = new EmulatedDevice();
        float[] Run(uint blocks)
        {
            ulong px = Upload(device, x), py = Poisoned<float>(device, n);
            Launch(device, "emu_scale_one_per_thread", new Dim3(blocks), new Dim3(threads), 0, px, py, n, 2.5f);
            return Download<float>(device, py, n);
        }

        uint right = (n + threads - 1) / threads;
        Assert.That(Run(right), Is.EqualTo(expected).Within(1e-6f), "the right grid writes every element");
        float[] shortGrid = Run(right - 1);
        int unwritten = shortGrid.Count(float.IsNaN);
        Assert.That(unwritten, Is.EqualTo(n - (right - 1) * threads), "the last block's elements keep their NaN poison");
    }

    [Test]
    public void BiasGradientWithAGridOneBlockShortFailsOpParity()
    {
        RequireEmulator();
        // sum_rows over 70 columns: three 32-column tiles, so the grid is 3 blocks; one short leaves columns 64..69.
        var opCase = new OpCase("sum_rows_70", [[5, 70]], (g, inputs) => g.SumRows(inputs[0]));
        var b = opCase.Build(seed: 99);
        var expected = BackendRunner.Run(new CpuBackend(), b, seed: 42, rngStep: 3);
        List<string> Compare(Func<string, Dim3, Dim3, (Dim3, Dim3)>? change)
        {
            var device = new EmulatedDevice { LaunchOverride = change };
            using var backend = new CudaBackend(device);
            return Parity.Mismatches(opCase.Name, expected, BackendRunner.Run(backend, b, seed: 42, rngStep: 3), limit: 1000);
        }

        Assert.That(Compare(null), Is.Empty, "the right launch matches the CPU");
        var problems = Compare((k, grid, block) => OneBlockShort(k, grid, block, "sum_rows_f32"));
        TestContext.Out.WriteLine($"sum_rows_f32 one block short: {problems.Count} mismatches, e.g. {problems.FirstOrDefault()}");
        Assert.That(problems, Has.All.Contains("NaN"));
        var columns = problems.Where(p => p.Contains("node sum_rows (sum_rows)")).ToList();
        Assert.That(columns, Has.Count.EqualTo(6), "the six columns of the missing tile (the product and L downstream fail too)");
        Assert.That(columns[0], Does.Contain("element 64:"));
    }

    [TestCase("batchnorm_stats_f32", "batch_norm_stats")]
    [TestCase("batchnorm_bwd_reduce_f32", "batch_norm_grad_sums")]
    public void BatchNormColumnReductionWithAGridOneBlockShortFailsOpParity(string kernel, string op)
    {
        RequireEmulator();
        // 70 features: three 32-column tiles; one block short leaves columns 64..69 of each row of the (2, 70) output.
        var opCase = new OpCase("batch_norm_train_70", [[9, 70], [70], [70]], (g, inputs) => g.BatchNormTrain(inputs[0], inputs[1], inputs[2], 1e-3f).Output);
        var b = opCase.Build(seed: 99);
        var expected = BackendRunner.Run(new CpuBackend(), b, seed: 42, rngStep: 3);
        List<string> Compare(Func<string, Dim3, Dim3, (Dim3, Dim3)>? change)
        {
            var device = new EmulatedDevice { LaunchOverride = change };
            using var backend = new CudaBackend(device);
            return Parity.Mismatches(opCase.Name, expected, BackendRunner.Run(backend, b, seed: 42, rngStep: 3), limit: 1000);
        }

        Assert.That(Compare(null), Is.Empty, "the right launch matches the CPU");
        var problems = Compare((k, grid, block) => OneBlockShort(k, grid, block, kernel));
        TestContext.Out.WriteLine($"{kernel} one block short: {problems.Count} mismatches, e.g. {problems.FirstOrDefault()}");
        var columns = problems.Where(p => p.Contains($"({op}) element")).ToList();
        Assert.That(columns, Has.Count.EqualTo(12), "both rows of the missing tile: elements 64..69 and 134..139");
        Assert.That(columns, Has.All.Contains("NaN"));
        Assert.That(columns[0], Does.Contain("element 64:"));
    }

    [Test]
    public void BiasGradientWithAGridOneBlockShortFailsTrainingParity()
    {
        RequireEmulator();
        // The check of EmulatedTrainingTests (30 steps, losses and weights), once with sum_rows_f32 one block
        // short. Dense(128)'s bias gradient has 4 tiles of 32 columns, so 32 gradients are never written.
        // Training memory is zero-filled rather than poisoned: they read as 0 or as stale values of another
        // node, those 32 units stop following the CPU, and the check fails.
        var (problems, _, _, _) = SeedMlpRun.CompareWithCpu(EmulatedTrainingTests.Steps, EmulatedTrainingTests.LossRtol,
            device => device.LaunchOverride = (k, grid, block) => OneBlockShort(k, grid, block, "sum_rows_f32"));
        TestContext.Out.WriteLine($"sum_rows_f32 one block short: {problems.Count} problems (first 20 of each kind):\n" + string.Join("\n", problems));
        Assert.That(problems, Is.Not.Empty, "a grid one block short must fail the training parity check");
    }
}
