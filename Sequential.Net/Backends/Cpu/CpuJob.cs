namespace SequentialNet.Backends.Cpu;

/// <summary>
/// A unit of parallel work for <see cref="CpuWorkers"/>: the work is cut into <c>parts</c> pieces, FIXED by
/// the caller from the shape and thread count, and <see cref="Execute"/> is called exactly once per part, on
/// some thread. Results must depend only on the part index, never on which thread runs it or when, so a
/// given thread count gives bitwise-repeatable results. Callers keep and reuse one instance (dispatch
/// allocates nothing).
/// </summary>
internal abstract class CpuJob
{
    /// <summary>Runs part <paramref name="part"/> of <paramref name="parts"/>.</summary>
    public abstract void Execute(int part, int parts);
}
