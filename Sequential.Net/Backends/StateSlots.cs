namespace SequentialNet.Backends;

/// <summary>
/// Indices into the per-model device state buffers. Counters (int32) and hyper-parameters (float32) live
/// on the device so that a captured training step can be replayed without host input.
/// </summary>
public static class StateSlots
{
    /// <summary>
    /// Counter: optimizer iterations done (Keras <c>optimizer.iterations</c>). It is also the random step
    /// that dropout reads, so the masks of step s are a function of (seed, s) and a resumed run, which
    /// restores the iteration count, draws what an uninterrupted run would have drawn.
    /// </summary>
    public const int OptimizerStep = 0;
    /// <summary>Counter: read position in the index list of the training set.</summary>
    public const int TrainCursor = 1;
    /// <summary>Counter: read position in the index list of the evaluation / prediction set.</summary>
    public const int EvalCursor = 2;
    /// <summary>Counter: the epoch being trained, the key of that epoch's shuffle.</summary>
    public const int Epoch = 3;
    /// <summary>Number of int counters.</summary>
    public const int CounterCount = 4;

    /// <summary>Hyper-parameter: the current learning rate.</summary>
    public const int LearningRate = 0;
    /// <summary>
    /// Hyper-parameter: Nadam's running product of the momentum schedule (Keras <c>u_product</c>), advanced
    /// by the step on the device; its value at t = 0 is ignored (the product starts at 1).
    /// </summary>
    public const int NadamUProduct = 1;
    /// <summary>Number of float hyper-parameter slots.</summary>
    public const int HyperCount = 4;
}
