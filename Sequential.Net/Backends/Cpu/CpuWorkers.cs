using System.Diagnostics;

namespace SequentialNet.Backends.Cpu;

/// <summary>
/// A persistent pool of worker threads for the CPU kernels, with allocation-free dispatch.
/// <para>
/// <see cref="Run"/> publishes a <see cref="CpuJob"/> and its part count; the calling thread and the workers
/// then claim parts 0..parts−1 from one shared counter until none are left, and the caller returns once every
/// part has finished. Which thread runs a part varies from run to run, which parts exist does not, so results
/// are repeatable for a given partition. Workers spin briefly after a job (training steps issue GEMMs
/// back to back) and then sleep on a monitor.
/// </para>
/// <para>
/// Thread count (caller included): <see cref="ThreadCount"/> if set, else the environment variable
/// <c>SEQUENTIAL_NET_THREADS</c>, else <see cref="Environment.ProcessorCount"/>. A nested call (from inside a
/// job) or a call while another thread is dispatching runs its parts inline on the calling thread, which
/// gives the same results.
/// </para>
/// </summary>
internal sealed class CpuWorkers
{
    private static readonly object s_createLock = new();
    private static volatile CpuWorkers? s_shared;
    private static int s_threadCountOverride;

    /// <summary>Threads used when <see cref="ThreadCount"/> is not set: SEQUENTIAL_NET_THREADS or the processor count.</summary>
    public static int DefaultThreadCount { get; } = ReadDefaultThreadCount();

    /// <summary>
    /// Total threads (the caller plus workers) that kernels partition for. Setting it (≥ 1) replaces the shared
    /// pool on its next use; setting 0 returns to <see cref="DefaultThreadCount"/>.
    /// </summary>
    public static int ThreadCount
    {
        get { int o = Volatile.Read(ref s_threadCountOverride); return o > 0 ? o : DefaultThreadCount; }
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            Volatile.Write(ref s_threadCountOverride, value);
        }
    }

    /// <summary>The process-wide pool, sized by <see cref="ThreadCount"/> (recreated if that changed).</summary>
    public static CpuWorkers Shared
    {
        get
        {
            CpuWorkers? pool = s_shared;
            int want = ThreadCount;
            if (pool is not null && pool.Threads == want) return pool;
            lock (s_createLock)
            {
                pool = s_shared;
                if (pool is null || pool.Threads != want)
                {
                    pool?.Shutdown();
                    pool = new CpuWorkers(want);
                    s_shared = pool;
                }
                return pool;
            }
        }
    }

    /// <summary>Runs <paramref name="job"/> for parts 0..parts−1 on the shared pool and waits for all of them.</summary>
    public static void Run(CpuJob job, int parts) => Shared.Dispatch(job, parts);

    // ---- instance ----------------------------------------------------------------------------------------

    // _state = (generation << 32) | next unclaimed part. Claiming a part is a CAS on the whole word, so a
    // worker that saw an old generation can never claim a part of a newer job.
    private long _state;
    private CpuJob? _job;
    private int _parts;
    private int _done;              // parts finished in the current generation
    private int _busy;              // 1 while some thread is dispatching
    private int _sleepers;          // workers blocked in Monitor.Wait
    private volatile bool _shutdown;
    private Exception? _failure;
    private readonly object _wakeLock = new();
    private readonly Thread[] _workers;

    // How long an idle worker spins for the next job before sleeping (a training step's kernels come
    // every few microseconds; a sleeping worker costs ~10–50 µs to wake).
    private static readonly long SpinTicks = Stopwatch.Frequency / 5000; // 200 µs

    private CpuWorkers(int threads)
    {
        Threads = Math.Max(1, threads);
        _workers = new Thread[Threads - 1];
        for (int i = 0; i < _workers.Length; i++)
        {
            _workers[i] = new Thread(WorkerLoop) { IsBackground = true, Name = $"Sequential.Net CPU worker {i + 1}" };
            _workers[i].Start();
        }
    }

    /// <summary>Threads this pool runs on, the caller included.</summary>
    public int Threads { get; }

    /// <summary>Runs parts 0..parts−1 of <paramref name="job"/> on this pool and the calling thread.</summary>
    public void Dispatch(CpuJob job, int parts)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (parts <= 0) return;
        if (parts == 1 || _workers.Length == 0 || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            for (int p = 0; p < parts; p++) job.Execute(p, parts);
            return;
        }
        try
        {
            _job = job;
            _parts = parts;
            _done = 0;
            _failure = null;
            long generation = (Volatile.Read(ref _state) >> 32) + 1;
            Interlocked.Exchange(ref _state, generation << 32);   // full fence: publishes the job
            if (Volatile.Read(ref _sleepers) > 0)
                lock (_wakeLock) Monitor.PulseAll(_wakeLock);

            WorkOn(job, parts, (int)generation);

            var spin = new SpinWait();
            while (Volatile.Read(ref _done) < parts) spin.SpinOnce(sleep1Threshold: -1);
            _job = null;
            if (_failure is { } failure)
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>Claims and runs parts of generation <paramref name="generation"/> until none are left.</summary>
    private void WorkOn(CpuJob job, int parts, int generation)
    {
        while (true)
        {
            long s = Volatile.Read(ref _state);
            if ((int)(s >> 32) != generation || (int)s >= parts) return;
            if (Interlocked.CompareExchange(ref _state, s + 1, s) != s) continue;
            try
            {
                job.Execute((int)s, parts);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _failure, e, null);
            }
            Interlocked.Increment(ref _done);
        }
    }

    private void WorkerLoop()
    {
        int seen = (int)(Volatile.Read(ref _state) >> 32);
        while (!_shutdown)
        {
            int generation = WaitForGeneration(seen);
            if (generation == seen) continue;   // woken by shutdown
            seen = generation;
            CpuJob? job = _job;
            int parts = _parts;
            if (job is not null) WorkOn(job, parts, generation);
        }
    }

    private int WaitForGeneration(int seen)
    {
        long start = Stopwatch.GetTimestamp();
        var spin = new SpinWait();
        while (true)
        {
            int g = (int)(Volatile.Read(ref _state) >> 32);
            if (g != seen || _shutdown) return g;
            if (Stopwatch.GetTimestamp() - start > SpinTicks) break;
            spin.SpinOnce(sleep1Threshold: -1);
        }
        lock (_wakeLock)
        {
            Interlocked.Increment(ref _sleepers);   // full fence, pairs with the dispatcher's Exchange
            try
            {
                while (true)
                {
                    int g = (int)(Volatile.Read(ref _state) >> 32);
                    if (g != seen || _shutdown) return g;
                    Monitor.Wait(_wakeLock);
                }
            }
            finally
            {
                Interlocked.Decrement(ref _sleepers);
            }
        }
    }

    private void Shutdown()
    {
        _shutdown = true;
        lock (_wakeLock) Monitor.PulseAll(_wakeLock);
    }

    private static int ReadDefaultThreadCount()
        => ParseThreadCount(Environment.GetEnvironmentVariable("SEQUENTIAL_NET_THREADS"), Environment.ProcessorCount, Console.Error);

    /// <summary>
    /// The thread count <paramref name="env"/> asks for; unset or empty gives the processor count, and
    /// anything but a positive integer does too, with one line on <paramref name="warnings"/> saying so.
    /// </summary>
    internal static int ParseThreadCount(string? env, int processorCount, TextWriter warnings)
    {
        int fallback = Math.Max(1, processorCount);
        if (string.IsNullOrWhiteSpace(env)) return fallback;
        if (int.TryParse(env.Trim(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int n) && n > 0)
            return n;
        warnings.WriteLine($"Sequential.Net: ignoring SEQUENTIAL_NET_THREADS=\"{env}\" (expected a whole number >= 1); using {fallback} threads (the processor count).");
        return fallback;
    }
}
