using SequentialNet.Backends.Cpu;

namespace SequentialNet.Tests.Kernels;

/// <summary>The worker pool: every part runs exactly once, failures surface, nesting and concurrent callers work.</summary>
[TestFixture, NonParallelizable]
public class CpuWorkersTests
{
    private int _savedOverride;

    [SetUp]
    public void SaveThreadCount() => _savedOverride = CpuWorkers.ThreadCount == CpuWorkers.DefaultThreadCount ? 0 : CpuWorkers.ThreadCount;

    [TearDown]
    public void RestoreThreadCount() => CpuWorkers.ThreadCount = _savedOverride;

    private sealed class CountingJob : CpuJob
    {
        public int[] Hits = new int[64];
        public int ExpectedParts;
        public int WrongParts;

        public override void Execute(int part, int parts)
        {
            if (parts != ExpectedParts) Interlocked.Increment(ref WrongParts);
            Interlocked.Increment(ref Hits[part]);
            Thread.SpinWait(200 * (part % 5));   // uneven parts
        }
    }

    [Test]
    public void EveryPartRunsExactlyOnce([Values(1, 2, 3, 4)] int threads)
    {
        CpuWorkers.ThreadCount = threads;
        var job = new CountingJob();
        for (int round = 0; round < 200; round++)
        {
            int parts = 1 + round % 37;
            Array.Clear(job.Hits);
            job.ExpectedParts = parts;
            CpuWorkers.Run(job, parts);
            for (int p = 0; p < 64; p++)
                Assert.That(job.Hits[p], Is.EqualTo(p < parts ? 1 : 0), $"round {round}: part {p} of {parts}");
        }
        Assert.That(job.WrongParts, Is.Zero);
        Assert.That(CpuWorkers.Shared.Threads, Is.EqualTo(threads));
    }

    private sealed class FailingJob : CpuJob
    {
        public override void Execute(int part, int parts)
        {
            if (part == parts - 1) throw new InvalidOperationException("part failed");
        }
    }

    [Test]
    public void AFailingPart_Throws_AndThePoolStaysUsable()
    {
        CpuWorkers.ThreadCount = 2;
        Assert.Throws<InvalidOperationException>(() => CpuWorkers.Run(new FailingJob(), 4));
        var job = new CountingJob { ExpectedParts = 6 };
        CpuWorkers.Run(job, 6);
        Assert.That(job.Hits.Take(6), Is.All.EqualTo(1));
    }

    private sealed class NestingJob : CpuJob
    {
        public readonly CountingJob Inner = new() { ExpectedParts = 5 };

        public override void Execute(int part, int parts)
        {
            // A job that dispatches again (from a worker or the caller) runs its inner parts inline.
            var inner = new CountingJob { ExpectedParts = 5 };
            CpuWorkers.Run(inner, 5);
            for (int p = 0; p < 5; p++)
                if (inner.Hits[p] == 1) Interlocked.Increment(ref Inner.Hits[part]);
        }
    }

    [Test]
    public void NestedDispatch_RunsInline()
    {
        CpuWorkers.ThreadCount = 2;
        var job = new NestingJob();
        CpuWorkers.Run(job, 4);
        Assert.That(job.Inner.Hits.Take(4), Is.All.EqualTo(5));
    }

    [Test]
    public void ConcurrentCallers_AllComplete()
    {
        CpuWorkers.ThreadCount = 2;
        var failures = 0;
        var threads = Enumerable.Range(0, 4).Select(_ => new Thread(() =>
        {
            var job = new CountingJob();
            for (int round = 0; round < 300; round++)
            {
                int parts = 1 + round % 9;
                Array.Clear(job.Hits);
                job.ExpectedParts = parts;
                CpuWorkers.Run(job, parts);
                for (int p = 0; p < parts; p++)
                    if (job.Hits[p] != 1) Interlocked.Increment(ref failures);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.That(failures, Is.Zero);
    }

    [Test]
    public void ThreadCount_Override_ReplacesThePool()
    {
        CpuWorkers.ThreadCount = 3;
        Assert.That(CpuWorkers.Shared.Threads, Is.EqualTo(3));
        CpuWorkers.ThreadCount = 1;
        Assert.That(CpuWorkers.Shared.Threads, Is.EqualTo(1));
        CpuWorkers.ThreadCount = 0;
        Assert.That(CpuWorkers.ThreadCount, Is.EqualTo(CpuWorkers.DefaultThreadCount));
    }
}
