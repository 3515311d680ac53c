namespace SequentialNet.Layers;

/// <summary>
/// The padding of ZeroPadding2D and the cropping of Cropping2D as Keras reads them: an int (every side), a
/// tuple of 2 ints (symmetric height, symmetric width) or a tuple of 2 tuples of 2 ints ((top, bottom), (left,
/// right)), every value ≥ 0. Stored in the last form, which is also the config's.
/// </summary>
internal static class SpatialAmounts
{
    public static int[][] Symmetric(int height, int width) => [[height, height], [width, width]];

    /// <summary>((top, bottom), (left, right)) from an int[] of 1 or 2 values.</summary>
    public static int[][] FromTuple(string who, string argument, int[] value)
    {
        ArgumentNullException.ThrowIfNull(value, argument);
        return value.Length switch
        {
            1 => Check(who, argument, Symmetric(value[0], value[0]), value),
            2 => Check(who, argument, Symmetric(value[0], value[1]), value),
            _ => throw Shape(who, argument, ConvArguments.Describe(value)),
        };
    }

    /// <summary>A copy of ((top, bottom), (left, right)), checked.</summary>
    public static int[][] FromPairs(string who, string argument, int[][] value)
    {
        ArgumentNullException.ThrowIfNull(value, argument);
        if (value.Length != 2 || value.Any(pair => pair == null || pair.Length != 2))
            throw Shape(who, argument, Describe(value));
        return Check(who, argument, [[value[0][0], value[0][1]], [value[1][0], value[1][1]]], value);
    }

    private static int[][] Check(string who, string argument, int[][] amounts, object given)
    {
        if (amounts.Any(pair => pair.Any(v => v < 0)))
            throw new ArgumentException($"{who}: expected `{argument}` values >= 0. Received: {argument}={(given is int[][] pairs ? Describe(pairs) : ConvArguments.Describe((int[])given))}.", argument);
        return amounts;
    }

    private static ArgumentException Shape(string who, string argument, string received)
        => new($"{who}: `{argument}` should be either an int, a tuple of 2 ints (symmetric_height, symmetric_width), or a tuple of 2 tuples of 2 ints ((top, bottom), (left, right)). Received: {argument}={received}.", argument);

    public static string Describe(int[][] value)
        => "(" + string.Join(", ", value.Select(pair => pair == null ? "None" : "(" + string.Join(", ", pair) + ")")) + ")";
}
