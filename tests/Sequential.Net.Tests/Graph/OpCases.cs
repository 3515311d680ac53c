using SequentialNet.Backends;
using SequentialNet.Graph;
using SequentialNet.Graph.Ops;

namespace SequentialNet.Tests.Graph;

/// <summary>The op-case table (docs/testing.md): every graph op, every loss, odd sizes and (1,1) edges.</summary>
public static class OpCases
{
    /// <summary>±U(0.1, 1): fresh, non-zero, and away from the kinks of relu/abs/huber.</summary>
    public static double AwayFromZero(Random r) => (r.Next(2) == 0 ? -1 : 1) * (0.1 + 0.9 * r.NextDouble());

    private static double Positive(Random r) => 0.2 + r.NextDouble();
    private static double Probability(Random r) => 0.05 + 0.9 * r.NextDouble();

    private static OpCase Unary<T>(T op, string? name = null, bool positive = false) where T : struct, IUnaryOp
        => new(name ?? op.Kernel, [[3, 7]], (g, x) => g.Unary(op, x[0]), positive ? (r, _, _) => Positive(r) : null);

    private static OpCase LossCase(LossKind kind, Func<Random, int, int, double> draw, int rows = 4, int cols = 5, float param = 0, bool sparse = false)
        => new($"loss_{kind}{(param != 0 ? $"_p{param.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : "")}{(rows * cols == 1 ? "_1x1" : "")}", [[rows, cols], sparse ? [rows] : [rows, cols]], (g, x) => g.Loss(kind, x[0], x[1], param), draw, [true, false]);

    private static double Labels(Random r, int k, int cols, Func<Random, double> pred, Func<Random, double> target)
        => k == 0 ? pred(r) : target(r);

    internal static OpCase Conv<T>(string name, int[] x, int[] kernel, ConvSpec spec, T f, bool bias = true) where T : struct, IUnaryOp
        => new(name, bias ? [x, kernel, [kernel[3]]] : [x, kernel],
            (g, v) => Conv2DOp<T>.Emit(g, f, spec, v[0], v[1], bias ? v[2] : null));

    internal static OpCase Pool(string name, PoolKind kind, int[] x, ConvSpec spec)
        => new(name, [x], (g, v) => Pool2DOp.Emit(g, kind, spec, v[0]));

    /// <summary>x (N, H, W, C), kernel (kh, kw, C/groups, F): the grouped convolution (depthwise when groups = C).</summary>
    internal static OpCase GroupedConv(string name, int[] x, int[] kernel, ConvSpec spec, int groups)
        => new(name, [x, kernel], (g, v) => GroupedConv2DOp.Emit(g, spec, groups, v[0], v[1]));

    /// <summary>x (N, H, W, C) and kernel (kh, kw, F, C); the output size from Keras's deconv_output_length (outputPadding −1: none).</summary>
    internal static OpCase ConvTranspose(string name, int[] x, int filters, ConvSpec spec, int outputPadding = -1)
    {
        int oh = (int)TransposedPadding.Length(spec.Padding, x[1], spec.KernelHeight, spec.StrideHeight, spec.DilationHeight, outputPadding);
        int ow = (int)TransposedPadding.Length(spec.Padding, x[2], spec.KernelWidth, spec.StrideWidth, spec.DilationWidth, outputPadding);
        return new(name, [x, [spec.KernelHeight, spec.KernelWidth, filters, x[3]]], (g, v) => Conv2DTransposeOp.Emit(g, spec, v[0], v[1], oh, ow));
    }

    /// <summary>All cases.</summary>
    public static IEnumerable<OpCase> All()
    {
        yield return new("matmul", [[5, 4], [4, 3]], (g, x) => g.MatMul(x[0], x[1]));
        yield return new("matmul_1x1", [[1, 1], [1, 1]], (g, x) => g.MatMul(x[0], x[1]));
        yield return new("matmul_tA", [[4, 5], [4, 3]], (g, x) => g.MatMul(x[0], x[1], transA: true));
        yield return new("matmul_tB", [[5, 4], [3, 4]], (g, x) => g.MatMul(x[0], x[1], transB: true));
        yield return new("matmul_odd", [[7, 13], [13, 17]], (g, x) => g.MatMul(x[0], x[1]));
        yield return new("dense_relu", [[5, 4], [4, 3], [3]], (g, x) => g.Dense(new Relu(), x[0], x[1], x[2]));
        yield return new("dense_linear", [[5, 4], [4, 3], [3]], (g, x) => g.Dense(new Identity(), x[0], x[1], x[2]));
        yield return new("dense_leaky_relu_0.3", [[6, 5], [5, 4], [4]], (g, x) => g.Dense(new LeakyRelu(0.3f), x[0], x[1], x[2]));
        yield return new("dense_relu_odd", [[7, 13], [13, 17], [17]], (g, x) => g.Dense(new Relu(), x[0], x[1], x[2]));
        yield return new("dense_relu_3d", [[2, 3, 4], [4, 5], [5]], (g, x) => g.Dense(new Relu(), x[0], x[1], x[2]));
        yield return new("dense_relu_1x1", [[1, 1], [1, 1], [1]], (g, x) => g.Dense(new Relu(), x[0], x[1], x[2]));
        yield return new("bias_add", [[6, 5], [5]], (g, x) => g.BiasAdd(x[0], x[1]));
        yield return new("add_row", [[6, 5], [5]], (g, x) => g.RowBroadcast(new Add(), x[0], x[1]));
        yield return new("sub_row", [[6, 5], [5]], (g, x) => g.RowBroadcast(new Sub(), x[0], x[1]));
        yield return new("mul_row", [[6, 5], [5]], (g, x) => g.RowBroadcast(new Mul(), x[0], x[1]));
        yield return new("div_row", [[6, 5], [5]], (g, x) => g.RowBroadcast(new Div(), x[0], x[1]));
        yield return new("div_row_1x1", [[1, 1], [1]], (g, x) => g.RowBroadcast(new Div(), x[0], x[1]));
        yield return new("sum_rows", [[6, 5]], (g, x) => g.SumRows(x[0]));
        yield return new("mean_rows", [[6, 5]], (g, x) => g.MeanRows(x[0]));
        yield return new("mean_rows_1x1", [[1, 1]], (g, x) => g.MeanRows(x[0]));
        yield return new("divide_by_rows", [[3, 5], [7, 2]], (g, x) => g.DivideByRows(x[0], x[1]), differentiable: [true, false]);
        // Fused batch normalization: training mode (gradients wrt x through the batch statistics, gamma,
        // beta), the statistics alone, and inference mode with constant moving statistics.
        yield return new("batch_norm_train", [[6, 4], [4], [4]], (g, x) => g.BatchNormTrain(x[0], x[1], x[2], 1e-3f).Output);
        yield return new("batch_norm_train_odd", [[7, 5], [5]], (g, x) => g.BatchNormTrain(x[0], x[1], null, 1e-3f).Output);
        yield return new("batch_norm_train_plain", [[3, 9]], (g, x) => g.BatchNormTrain(x[0], null, null, 1e-2f).Output);
        yield return new("batch_norm_train_1x1", [[1, 1], [1], [1]], (g, x) => g.BatchNormTrain(x[0], x[1], x[2], 1e-3f).Output);
        yield return new("batch_norm_stats", [[7, 5]], (g, x) => g.BatchNormStatistics(x[0]), differentiable: [false]);
        yield return new("batch_norm_inference", [[5, 4], [4], [4], [4], [4]], (g, x) => g.BatchNorm(x[0], x[1], x[2], x[3], x[4], 1e-3f),
            (r, k, i) => k == 2 ? Positive(r) : AwayFromZero(r), [true, false, false, true, true]);
        yield return new("batch_norm_inference_plain", [[4, 3], [3], [3]], (g, x) => g.BatchNorm(x[0], x[1], x[2], null, null, 1e-3f),
            (r, k, i) => k == 2 ? Positive(r) : AwayFromZero(r), [true, false, false]);
        yield return Unary(new Relu());
        yield return Unary(new LeakyRelu(0.01f));
        yield return Unary(new LeakyRelu(0.3f), "leaky_relu_0.3");
        yield return Unary(new Sigmoid());
        yield return Unary(new Tanh());
        yield return Unary(new Identity());
        yield return Unary(new Elu(1f));
        yield return Unary(new Swish());
        yield return Unary(new Gelu());
        yield return Unary(new Exp());
        yield return Unary(new Log(), positive: true);
        yield return Unary(new Square());
        yield return Unary(new Sqrt(), positive: true);
        yield return Unary(new Abs());
        yield return Unary(new Negate());
        yield return Unary(new Selu());
        yield return Unary(new Softplus());
        yield return Unary(new Softsign());
        yield return Unary(new Relu6(), "relu6");
        // Draws kept away from the kink at the threshold, so central differences see one side only.
        yield return new("thresholded_0.5", [[3, 7]], (g, x) => g.Unary(new Thresholded(0.5f), x[0]), (r, _, _) => 0.5 + AwayFromZero(r) * 2);
        yield return new("relu_below_-0.25", [[3, 7]], (g, x) => g.Unary(new ReluBelow(-0.25f), x[0]), (r, _, _) => -0.25 + AwayFromZero(r) * 2);
        yield return new("relu6_wide", [[3, 7]], (g, x) => g.Unary(new Relu6(), x[0]), (r, _, _) => (r.Next(2) == 0 ? 6.5 : 0) + AwayFromZero(r) * 3);
        yield return new("hard_sigmoid", [[3, 7]], (g, x) => g.Unary(new HardSigmoid(), x[0]), (r, _, _) => AwayFromZero(r) * 5);
        yield return new("hard_silu", [[3, 7]], (g, x) => g.Unary(new HardSilu(), x[0]), (r, _, _) => AwayFromZero(r) * 5);
        yield return Unary(new Mish());
        yield return Unary(new GeluTanh());
        yield return new("add", [[3, 5], [3, 5]], (g, x) => g.Binary(new Add(), x[0], x[1]));
        yield return new("sub", [[3, 5], [3, 5]], (g, x) => g.Binary(new Sub(), x[0], x[1]));
        yield return new("mul", [[3, 5], [3, 5]], (g, x) => g.Binary(new Mul(), x[0], x[1]));
        yield return new("max", [[3, 5], [3, 5]], (g, x) => g.Binary(new Max(), x[0], x[1]));
        yield return new("min", [[3, 5], [3, 5]], (g, x) => g.Binary(new Min(), x[0], x[1]));
        yield return new("max_1x1", [[1, 1], [1, 1]], (g, x) => g.Binary(new Max(), x[0], x[1]));
        yield return new("concat_last", [[3, 2], [3, 5], [3, 1]], (g, x) => g.Concatenate(x, 1));
        yield return new("concat_first", [[2, 3], [4, 3]], (g, x) => g.Concatenate(x, 0));
        yield return new("concat_middle_3d", [[2, 1, 3], [2, 4, 3]], (g, x) => g.Concatenate(x, 1));
        yield return new("concat_1x1", [[1, 1], [1, 1]], (g, x) => g.Concatenate(x, 1));
        yield return new("permute_2d", [[3, 5]], (g, x) => g.Permute(x[0], [1, 0]));
        yield return new("permute_3d", [[2, 3, 4], ], (g, x) => g.Permute(x[0], [2, 0, 1]));
        yield return new("permute_4d_odd", [[3, 1, 5, 2]], (g, x) => g.Permute(x[0], [3, 1, 0, 2]));
        yield return new("permute_5d", [[2, 3, 1, 2, 3]], (g, x) => g.Permute(x[0], [4, 3, 2, 1, 0]));
        yield return new("scale", [[3, 5]], (g, x) => g.Scale(x[0], -2.5f));
        yield return new("mean", [[4, 3]], (g, x) => g.Mean(x[0]));
        yield return new("reshape", [[4, 6]], (g, x) => g.Reshape(x[0], [6, 4]));
        yield return new("softmax", [[4, 6]], (g, x) => g.Softmax(x[0]));
        yield return new("softmax_1x1", [[1, 1]], (g, x) => g.Softmax(x[0]));
        yield return new("dropout", [[4, 33]], (g, x) => g.Binary(new Mul(), x[0], g.DropoutMask(x[0], 0.3f, 7)));
        yield return new("augment", [[3, 5, 4, 2]], (g, x) => g.Augment(x[0], new AugmentSpec
        {
            FlipHorizontal = true, RotationLower = -0.2f, RotationUpper = 0.2f, HeightZoomLower = -0.2f, HeightZoomUpper = 0.3f, WidthZoomFollowsHeight = true,
        }, 5), differentiable: [false]);
        yield return new("crop_random", [[3, 7, 6, 2]], (g, x) => g.Crop(x[0], CropSpec.Random(4, 3), 5), differentiable: [false]);
        yield return new("crop_resize", [[2, 7, 10, 3]], (g, x) => g.Crop(x[0], CropSpec.Resize(7, 10, 4, 4), 5), differentiable: [false]);
        yield return new("crop_resize_up", [[2, 3, 5, 1]], (g, x) => g.Crop(x[0], CropSpec.Resize(3, 5, 4, 7), 5, seed: 12), differentiable: [false]);
        foreach (var c in SpatialOpCases.All()) yield return c;   // zero padding, cropping, upsampling, SpatialDropout2D
        // Convolution and pooling, channels last (N, H, W, C): TensorFlow's padding incl. the asymmetric "same"
        // split (even kernels, strides that do not divide), dilation, no bias, batch 1 and a 1 × 1 image.
        yield return Conv("conv2d_valid_relu", [2, 5, 6, 3], [3, 3, 3, 4], new ConvSpec(3, 3, 1, 1, 1, 1, "valid"), new Relu());
        yield return Conv("conv2d_same_s2_even_kernel", [1, 6, 7, 2], [2, 2, 2, 3], new ConvSpec(2, 2, 2, 2, 1, 1, "same"), new Identity());
        yield return Conv("conv2d_same_s3_k4", [2, 8, 9, 2], [4, 4, 2, 3], new ConvSpec(4, 4, 3, 3, 1, 1, "same"), new Identity());
        yield return Conv("conv2d_same_dilated", [2, 7, 5, 3], [3, 2, 3, 2], new ConvSpec(3, 2, 1, 1, 2, 2, "same"), new LeakyRelu(0.3f));
        yield return Conv("conv2d_valid_dilated_odd", [1, 9, 8, 1], [2, 3, 1, 5], new ConvSpec(2, 3, 1, 1, 3, 2, "valid"), new Relu());
        yield return Conv("conv2d_strides_2x1_no_bias", [3, 5, 5, 1], [3, 3, 1, 5], new ConvSpec(3, 3, 2, 1, 1, 1, "valid"), new Identity(), bias: false);
        yield return Conv("conv2d_1x1_image", [1, 1, 1, 1], [1, 1, 1, 1], new ConvSpec(1, 1, 1, 1, 1, 1, "same"), new Relu());
        yield return Conv("conv2d_1xk_as_conv1d", [2, 1, 9, 3], [1, 3, 3, 2], new ConvSpec(1, 3, 1, 2, 1, 1, "same"), new Relu());
        // First-layer shapes: one input channel and 16 or 32 filters (a short GEMM k of 9 and 8).
        yield return Conv("conv2d_small_patch_first_layer", [1, 9, 9, 1], [3, 3, 1, 16], new ConvSpec(3, 3, 1, 1, 1, 1, "valid"), new Relu());
        yield return Conv("conv2d_small_patch_s2_same_32", [2, 5, 5, 2], [2, 2, 2, 32], new ConvSpec(2, 2, 2, 2, 1, 1, "same"), new Identity());
        yield return Pool("avg_pool_1xk_as_pool1d_same", PoolKind.Average, [2, 1, 7, 2], new ConvSpec(1, 3, 1, 2, 1, 1, "same"));
        yield return Pool("max_pool_2x2_valid_odd", PoolKind.Max, [2, 5, 5, 3], new ConvSpec(2, 2, 2, 2, 1, 1, "valid"));
        yield return Pool("max_pool_3x3_s2_same", PoolKind.Max, [1, 5, 6, 2], new ConvSpec(3, 3, 2, 2, 1, 1, "same"));
        yield return Pool("max_pool_2x2_s3_gaps", PoolKind.Max, [1, 7, 7, 1], new ConvSpec(2, 2, 3, 3, 1, 1, "valid"));
        yield return Pool("avg_pool_2x2_s2_same_border", PoolKind.Average, [2, 5, 5, 3], new ConvSpec(2, 2, 2, 2, 1, 1, "same"));
        yield return Pool("avg_pool_3x3_s1_same", PoolKind.Average, [1, 4, 4, 2], new ConvSpec(3, 3, 1, 1, 1, 1, "same"));
        yield return Pool("avg_pool_global", PoolKind.Average, [2, 3, 4, 5], new ConvSpec(3, 4, 1, 1, 1, 1, "valid"));
        yield return Pool("max_pool_global_batch1", PoolKind.Max, [1, 3, 4, 5], new ConvSpec(3, 4, 1, 1, 1, 1, "valid"));
        // Transposed convolution (Keras's output sizes): stride 2 "same" doubles, output padding, an even kernel,
        // dilation, a stride larger than the kernel (gaps of zeros), batch 1 and a 1 × 1 image.
        yield return ConvTranspose("conv2d_transpose_s2_same", [2, 3, 4, 2], 5, new ConvSpec(3, 3, 2, 2, 1, 1, "same"));
        yield return ConvTranspose("conv2d_transpose_s2_valid_outpad1", [1, 3, 3, 1], 2, new ConvSpec(3, 3, 2, 2, 1, 1, "valid"), outputPadding: 1);
        yield return ConvTranspose("conv2d_transpose_even_same_outpad1", [2, 3, 2, 3], 2, new ConvSpec(2, 2, 2, 2, 1, 1, "same"), outputPadding: 1);
        yield return ConvTranspose("conv2d_transpose_k4_s2_same_odd", [1, 3, 5, 2], 3, new ConvSpec(4, 4, 2, 2, 1, 1, "same"));
        yield return ConvTranspose("conv2d_transpose_dilated_same", [2, 4, 3, 2], 3, new ConvSpec(3, 2, 1, 1, 2, 3, "same"));
        yield return ConvTranspose("conv2d_transpose_s3x1_gaps_valid", [1, 2, 3, 3], 2, new ConvSpec(2, 2, 3, 1, 1, 1, "valid"));
        yield return ConvTranspose("conv2d_transpose_1x1_image", [1, 1, 1, 1], 1, new ConvSpec(1, 1, 1, 1, 1, 1, "valid"));
        // Grouped convolution computed directly: depthwise (one input channel per group, multiplier 1 and 2),
        // groups with several input and output channels, stride/dilation/"same" combinations, batch 1 and 1 × 1.
        yield return GroupedConv("conv2d_depthwise_same", [2, 5, 6, 3], [3, 3, 1, 3], new ConvSpec(3, 3, 1, 1, 1, 1, "same"), 3);
        yield return GroupedConv("conv2d_depthwise_m2_s2_even_kernel", [1, 6, 7, 2], [2, 2, 1, 4], new ConvSpec(2, 2, 2, 2, 1, 1, "same"), 2);
        yield return GroupedConv("conv2d_depthwise_m3_dilated_valid", [2, 7, 5, 2], [3, 2, 1, 6], new ConvSpec(3, 2, 1, 1, 2, 2, "valid"), 2);
        yield return GroupedConv("conv2d_grouped_2_s2x1", [2, 5, 5, 4], [3, 3, 2, 6], new ConvSpec(3, 3, 2, 1, 1, 1, "valid"), 2);
        yield return GroupedConv("conv2d_grouped_3_one_output_each", [1, 4, 4, 9], [1, 3, 3, 3], new ConvSpec(1, 3, 1, 2, 1, 1, "same"), 3);
        yield return GroupedConv("conv2d_grouped_1x1_image", [1, 1, 1, 2], [1, 1, 1, 2], new ConvSpec(1, 1, 1, 1, 1, 1, "valid"), 2);
        yield return new("softmax_ce_sparse", [[5, 4], [5]], (g, x) => g.SoftmaxCrossEntropy(x[0], x[1], sparse: true, 0f),
            (r, k, i) => k == 0 ? AwayFromZero(r) * 3 : r.Next(4), [true, false]);
        yield return new("softmax_ce_onehot", [[5, 4], [5, 4]], (g, x) => g.SoftmaxCrossEntropy(x[0], x[1], sparse: false, 0f),
            (r, k, i) => k == 0 ? AwayFromZero(r) * 3 : (i % 4 == 2 ? 1 : 0), [true, false]);
        yield return new("softmax_ce_smoothing", [[5, 4], [5]], (g, x) => g.SoftmaxCrossEntropy(x[0], x[1], sparse: true, 0.1f),
            (r, k, i) => k == 0 ? AwayFromZero(r) : r.Next(4), [true, false]);
        yield return LossCase(LossKind.MeanSquaredError, (r, k, i) => AwayFromZero(r));
        yield return LossCase(LossKind.MeanAbsoluteError, (r, k, i) => k == 0 ? AwayFromZero(r) + 2.5 : AwayFromZero(r));
        yield return LossCase(LossKind.Huber, (r, k, i) => k == 0 ? AwayFromZero(r) * 3 : 0.5 * AwayFromZero(r) + 2.1, param: 1f);
        yield return LossCase(LossKind.BinaryCrossentropy, (r, k, i) => k == 0 ? Probability(r) : r.Next(2));
        yield return LossCase(LossKind.BinaryCrossentropyFromLogits, (r, k, i) => k == 0 ? AwayFromZero(r) * 3 : r.Next(2));
        yield return LossCase(LossKind.CategoricalCrossentropy, (r, k, i) => k == 0 ? Probability(r) : (i % 5 == 1 ? 1 : 0));
        yield return LossCase(LossKind.SparseCategoricalCrossentropy, (r, k, i) => k == 0 ? Probability(r) : r.Next(5), sparse: true);
        yield return LossCase(LossKind.MeanSquaredError, (r, k, i) => AwayFromZero(r), rows: 1, cols: 1);
        foreach (var c in KerasLossCases()) yield return c;
    }

    /// <summary>The losses of Keras's losses.py that are a term per element (and binary label smoothing).</summary>
    private static IEnumerable<OpCase> KerasLossCases()
    {
        yield return LossCase(LossKind.BinaryCrossentropy, (r, k, i) => k == 0 ? Probability(r) : r.Next(2), param: 0.1f);
        yield return LossCase(LossKind.BinaryCrossentropyFromLogits, (r, k, i) => k == 0 ? AwayFromZero(r) * 3 : r.Next(2), param: 0.2f);
        yield return LossCase(LossKind.MeanAbsolutePercentageError, (r, k, i) => k == 0 ? AwayFromZero(r) + 2.5 : AwayFromZero(r));
        yield return LossCase(LossKind.MeanSquaredLogarithmicError, (r, k, i) => k == 0 ? Positive(r) * 3 : AwayFromZero(r) * 2);
        yield return LossCase(LossKind.LogCosh, (r, k, i) => AwayFromZero(r) * 2);
        yield return LossCase(LossKind.Poisson, (r, k, i) => k == 0 ? Positive(r) : Positive(r) * 3);
        yield return LossCase(LossKind.Hinge, (r, k, i) => k == 0 ? AwayFromZero(r) * 0.9 : (i % 3 == 0 ? -1 : r.Next(2)));
        yield return LossCase(LossKind.SquaredHinge, (r, k, i) => k == 0 ? AwayFromZero(r) * 0.9 : (i % 3 == 0 ? -1 : r.Next(2)));
        yield return LossCase(LossKind.KLDivergence, (r, k, i) => Probability(r));
        yield return LossCase(LossKind.KLDivergence, (r, k, i) => Probability(r), rows: 1, cols: 1);
        foreach (var c in RowAndFocalLossCases()) yield return c;
        foreach (var c in LogSoftmaxCases()) yield return c;
    }

    /// <summary>log_softmax: narrow, one element, a warp and a tail, and a block-wide row (over 1024 columns).</summary>
    private static IEnumerable<OpCase> LogSoftmaxCases()
    {
        yield return new("log_softmax", [[4, 6]], (g, x) => g.LogSoftmax(x[0]), (r, k, i) => AwayFromZero(r) * 4);
        yield return new("log_softmax_1x1", [[1, 1]], (g, x) => g.LogSoftmax(x[0]));
        yield return new("log_softmax_3x37", [[3, 37]], (g, x) => g.LogSoftmax(x[0]), (r, k, i) => AwayFromZero(r) * 4);
        yield return new("log_softmax_2x1100", [[2, 1100]], (g, x) => g.LogSoftmax(x[0]));
        // The Softmax layer on a middle axis: swap it to the end, normalize, swap back.
        yield return new("softmax_middle_axis", [[2, 3, 4]], (g, x) => g.Permute(g.Softmax(g.Permute(x[0], [0, 2, 1])), [0, 2, 1]));
    }

    /// <summary>categorical_hinge and cosine_similarity (row reductions) and binary focal cross-entropy with its parameters.</summary>
    private static IEnumerable<OpCase> RowAndFocalLossCases()
    {
        yield return LossCase(LossKind.CategoricalHinge, (r, k, i) => k == 0 ? AwayFromZero(r) : (i % 5 == 3 ? 1 : 0));
        yield return WideLossCase(LossKind.CategoricalHinge, (r, k, i) => k == 0 ? AwayFromZero(r) : (i % 37 == 5 ? 1 : 0));
        yield return LossCase(LossKind.CosineSimilarity, (r, k, i) => AwayFromZero(r));
        yield return WideLossCase(LossKind.CosineSimilarity, (r, k, i) => AwayFromZero(r));
        yield return LossCase(LossKind.CosineSimilarity, (r, k, i) => AwayFromZero(r), rows: 1, cols: 1);
        yield return FocalCase("plain", LossKind.BinaryFocalCrossentropy, new LossParams(0f, 2f, 0.25f));
        yield return FocalCase("balanced_smoothed", LossKind.BinaryFocalCrossentropy, new LossParams(0.1f, 1.5f, 0.3f, ClassBalancing: true));
        yield return FocalCase("gamma0", LossKind.BinaryFocalCrossentropy, new LossParams(0f, 0f, 0.25f));
        yield return FocalCase("logits", LossKind.BinaryFocalCrossentropyFromLogits, new LossParams(0f, 2f, 0.25f));
        yield return FocalCase("logits_balanced_smoothed", LossKind.BinaryFocalCrossentropyFromLogits, new LossParams(0.2f, 3f, 0.6f, ClassBalancing: true));
    }

    // 37 columns: more than one warp's lanes per row on the device, with a tail.
    private static OpCase WideLossCase(LossKind kind, Func<Random, int, int, double> draw)
        => new($"loss_{kind}_3x37", [[3, 37], [3, 37]], (g, x) => g.Loss(kind, x[0], x[1]), draw, [true, false]);

    private static OpCase FocalCase(string name, LossKind kind, LossParams parameters)
    {
        Func<Random, int, int, double> draw = kind == LossKind.BinaryFocalCrossentropyFromLogits
            ? (r, k, i) => k == 0 ? AwayFromZero(r) * 3 : r.Next(2)
            : (r, k, i) => k == 0 ? Probability(r) : r.Next(2);
        return new($"loss_{kind}_{name}", [[4, 5], [4, 5]], (g, x) => g.Loss(kind, x[0], x[1], parameters), draw, [true, false]);
    }
}
