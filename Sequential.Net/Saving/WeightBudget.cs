namespace SequentialNet.Saving;

/// <summary>
/// While a model is rebuilt from a file, the number of weight elements its layers may allocate: what the
/// file's weight manifest holds (which is bounded by the file's size). A config that asks for more
/// (a corrupted or hostile <c>units</c>) fails before anything large is allocated. Outside a load there
/// is no budget and <see cref="Take"/> only checks that the shape's size fits an array. Weights made under a
/// budget are left at zero (the file fills them), so loading draws nothing from the random streams.
/// </summary>
internal static class WeightBudget
{
    [ThreadStatic] private static long? _remaining;

    /// <summary>Sets a budget of <paramref name="elements"/> for this thread until the returned scope ends.</summary>
    public static IDisposable Limit(long elements)
    {
        var previous = _remaining;
        _remaining = elements;
        return new Scope(previous);
    }

    /// <summary>
    /// Charges a new weight of <paramref name="shape"/> to the budget; throws when it does not fit. Returns
    /// its element count while a model is being loaded (its values will come from the file, so it need
    /// not be initialized), null otherwise.
    /// </summary>
    public static int? Take(string layer, string weight, int[] shape)
    {
        long count = 1;
        foreach (int d in shape)
        {
            if (d < 0 || (d > 0 && count > Array.MaxLength / d))
                throw new ArgumentException($"Layer \"{layer}\": weight \"{weight}\" of shape {Tensor.FormatShape(shape)} is too large for one array (at most {Array.MaxLength} elements).");
            count *= d;
        }
        if (_remaining is not long left) return null;
        if (count > left)
            throw new FormatProblem($"{ModelFileFormat.Config}: the config asks layer \"{layer}\" for a weight \"{weight}\" of shape {Tensor.FormatShape(shape)} ({count} elements), but the file's weights hold only {left} more. The config and the weights do not belong together.");
        _remaining = left - count;
        return (int)count;
    }

    private sealed class Scope(long? previous) : IDisposable
    {
        public void Dispose() => _remaining = previous;
    }
}
