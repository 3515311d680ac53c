namespace SequentialNet.Backends;

/// <summary>
/// The output length of a transposed convolution on one spatial axis, as Keras 3 computes it
/// (<c>keras.src.utils.conv_utils.deconv_output_length</c>), with k_eff = (k − 1)·dilation + 1:
/// without output padding, "valid" gives in·stride + max(k_eff − stride, 0) and "same" in·stride; with output
/// padding p, (in − 1)·stride + k_eff − 2·pad + p where pad = ⌊k_eff/2⌋ for "same" and 0 for "valid".
/// TensorFlow then runs the input gradient of the convolution that maps this length back onto <c>in</c>
/// with the same padding mode, so that convolution must give <c>in</c> again (<see cref="Padding.Axis"/>).
/// </summary>
internal static class TransposedPadding
{
    /// <summary>The output length; <paramref name="outputPadding"/> &lt; 0 means none (Keras's None).</summary>
    public static long Length(string padding, int input, int kernel, int stride, int dilation, int outputPadding)
    {
        long effective = (long)(kernel - 1) * dilation + 1;
        if (outputPadding < 0)
            return padding == "same" ? (long)input * stride : (long)input * stride + Math.Max(effective - stride, 0);
        long pad = padding == "same" ? effective / 2 : 0;
        return (long)(input - 1) * stride + effective - 2 * pad + outputPadding;
    }
}
