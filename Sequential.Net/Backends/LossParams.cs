namespace SequentialNet.Backends;

/// <summary>
/// The scalar parameters of a <see cref="LossKind"/>: <see cref="Value"/> is Huber's delta or the binary losses'
/// label smoothing; the focal kinds also read <see cref="Gamma"/>, <see cref="Alpha"/> and
/// <see cref="ClassBalancing"/> (Keras's binary_focal_crossentropy arguments). A float converts to the first.
/// </summary>
/// <param name="Value">Huber's delta, or the label smoothing s of the binary losses (targets become t·(1 − s) + s/2).</param>
/// <param name="Gamma">Focusing exponent of the focal kinds: the factor (1 − p_t)^γ.</param>
/// <param name="Alpha">Weight of class 1 (class 0 gets 1 − α) when <see cref="ClassBalancing"/> is on.</param>
/// <param name="ClassBalancing">Whether the focal kinds weigh each term by α or 1 − α.</param>
public readonly record struct LossParams(float Value, float Gamma = 0f, float Alpha = 0f, bool ClassBalancing = false)
{
    /// <summary>The parameters of a kind that reads only <see cref="Value"/>.</summary>
    public static implicit operator LossParams(float value) => new(value);
}
