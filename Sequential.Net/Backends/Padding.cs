namespace SequentialNet.Backends;

/// <summary>
/// TensorFlow's padding arithmetic for one spatial axis, which Keras 3 follows on every backend.
/// "valid": out = ⌊(in − k_eff)/stride⌋ + 1 with k_eff = (k − 1)·dilation + 1, no padding (and an error when
/// k_eff &gt; in). "same": out = ⌈in/stride⌉ and pad_total = max((out − 1)·stride + k_eff − in, 0), of which
/// ⌊pad_total/2⌋ goes before and the rest after — so an even kernel, or a stride that does not divide the
/// input, pads one more cell at the bottom/right than at the top/left. "causal" (Conv1D only, see
/// <see cref="ParseConv1D"/>) pads k_eff − 1 cells before and none after.
/// </summary>
internal static class Padding
{
    /// <summary>The output size and the cells padded before the first input cell.</summary>
    /// <exception cref="ArgumentException">An unknown padding, or "valid" with a window larger than the input.</exception>
    public static (int Output, int Before) Axis(string padding, int input, int kernel, int stride, int dilation, string who, string axis)
    {
        int effective = (kernel - 1) * dilation + 1;
        switch (padding)
        {
            case "valid":
                if (effective > input)
                    throw new ArgumentException($"{who}: the {axis} window ({effective}{(dilation > 1 ? $" = (kernel {kernel} - 1)·dilation {dilation} + 1" : "")}) is larger than the input {axis} ({input}) with padding=\"valid\", so the computed output {axis} would be {(int)Math.Floor((double)(input - effective) / stride) + 1}. Expected an input {axis} >= {effective}. Use padding=\"same\" or a larger input.");
                return ((input - effective) / stride + 1, 0);
            case "same":
                int output = (input + stride - 1) / stride;
                int total = Math.Max((output - 1) * stride + effective - input, 0);
                return (output, total / 2);
            case "causal":
                // Keras's Conv1D: pad (k − 1)·dilation cells before the input and none after, then "valid":
                // out = ⌊(in − 1)/stride⌋ + 1, so output step t sees input steps ≤ t·stride only.
                return ((input - 1) / stride + 1, effective - 1);
            default:
                throw new ArgumentException($"{who}: unknown padding \"{padding}\". Expected \"valid\" or \"same\".");
        }
    }

    /// <summary>Conv1D's padding argument: "valid", "same" or "causal" (any case).</summary>
    public static string ParseConv1D(string padding, string who)
    {
        string p = (padding ?? "").ToLowerInvariant();
        return p is "valid" or "same" or "causal" ? p : throw new ArgumentException($"{who}: unknown padding \"{padding}\". Expected \"valid\", \"same\" or \"causal\".", nameof(padding));
    }

    /// <summary>Normalizes Keras's padding argument ("valid"/"same", any case).</summary>
    public static string Parse(string padding, string who)
    {
        string p = (padding ?? "").ToLowerInvariant();
        return p is "valid" or "same" ? p : throw new ArgumentException($"{who}: unknown padding \"{padding}\". Expected \"valid\" or \"same\".", nameof(padding));
    }
}
