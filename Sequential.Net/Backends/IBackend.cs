namespace SequentialNet.Backends;

/// <summary>
/// The small set of primitives every backend implements (tinygrad-style contract). All matrices are
/// row-major and contiguous unless a stride is given. Shapes are in the comments of each member.
/// Implementations must not allocate managed memory in any primitive that a training step calls.
/// </summary>
public interface IBackend : IDisposable
{
    /// <summary>Short name for messages, e.g. "cpu" or "cuda:0 (NVIDIA H100)".</summary>
    string Name { get; }

    // ---- memory --------------------------------------------------------------------------------

    /// <summary>A new zero-filled float32 buffer of <paramref name="length"/> elements.</summary>
    DeviceBuffer Allocate(int length);

    /// <summary>A new zero-filled int32 buffer of <paramref name="length"/> elements.</summary>
    DeviceBuffer AllocateInt(int length);

    /// <summary>A view of elements [offset, offset+length) of <paramref name="buffer"/>; owns nothing.</summary>
    DeviceBuffer View(DeviceBuffer buffer, int offset, int length);

    /// <summary>
    /// Makes a host array usable as a read-only input buffer for as long as the returned buffer lives.
    /// The CPU backend pins it (no copy); a GPU backend copies it to the device.
    /// </summary>
    DeviceBuffer UseHostData(float[] data);

    /// <summary>Copies host data into <paramref name="dst"/> (lengths must match).</summary>
    void Upload(ReadOnlySpan<float> src, DeviceBuffer dst);

    /// <summary>Copies host ints into the int buffer <paramref name="dst"/>.</summary>
    void UploadInt(ReadOnlySpan<int> src, DeviceBuffer dst);

    /// <summary>Copies <paramref name="src"/> to host memory (waits for pending work).</summary>
    void Download(DeviceBuffer src, Span<float> dst);

    /// <summary>Copies the int buffer <paramref name="src"/> to host memory (waits for pending work).</summary>
    void DownloadInt(DeviceBuffer src, Span<int> dst);

    /// <summary>dst[i] = value.</summary>
    void Fill(DeviceBuffer dst, float value);

    /// <summary>dst = src (same length).</summary>
    void Copy(DeviceBuffer src, DeviceBuffer dst);

    /// <summary>Waits until all queued work has finished.</summary>
    void Synchronize();

    /// <summary>
    /// Strided copy of a column block: dst[r·dstStride + dstOffset + c] = src[r·srcStride + srcOffset + c] for
    /// r &lt; rows, c &lt; cols. Concatenate writes each input into its block of the output, and its gradient
    /// reads each block back, with no per-layer primitive.
    /// </summary>
    void CopyColumns(DeviceBuffer src, DeviceBuffer dst, int rows, int cols, int srcStride, int srcOffset, int dstStride, int dstOffset);

    /// <summary>
    /// Axis permutation (a transpose of up to <see cref="StridedCopy.MaxPermuteRank"/> axes): src has
    /// <paramref name="dims"/> (row-major) and dst axis k is src axis <paramref name="perm"/>[k]. Permute layers
    /// and their gradient (the inverse permutation).
    /// </summary>
    void Permute(DeviceBuffer src, DeviceBuffer dst, ReadOnlySpan<int> dims, ReadOnlySpan<int> perm);

    // ---- dense math ----------------------------------------------------------------------------

    /// <summary>
    /// C(m,n) = alpha·op(A)·op(B) + beta·C. A is (m,k), or (k,m) when <paramref name="transA"/>;
    /// B is (k,n), or (n,k) when <paramref name="transB"/>. beta = 0 overwrites C without reading it.
    /// </summary>
    void Gemm(bool transA, bool transB, int m, int n, int k, float alpha, DeviceBuffer a, DeviceBuffer b, float beta, DeviceBuffer c);

    /// <summary>
    /// The fused Dense forward: C(m,n) = f(A(m,k)·B(k,n) + bias(n)), with bias broadcast over the rows. Every
    /// element is rounded as the three separate passes would round it (Gemm, then
    /// <see cref="BinaryRowBroadcast{TOp}"/> with Add, then <see cref="Unary{TOp}"/>), so the result equals them;
    /// a backend fuses what it can (the CPU applies bias and f to each block of C while it is in cache).
    /// </summary>
    void GemmBiasActivation<TOp>(in TOp activation, int m, int n, int k, DeviceBuffer a, DeviceBuffer b, DeviceBuffer bias, DeviceBuffer c) where TOp : struct, IUnaryOp;

    /// <summary>y = f(x) elementwise.</summary>
    void Unary<TOp>(in TOp op, DeviceBuffer x, DeviceBuffer y) where TOp : struct, IUnaryOp;

    /// <summary>dx = dy · f'(x) elementwise, with y = f(x) given.</summary>
    void UnaryBackward<TOp>(in TOp op, DeviceBuffer x, DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx) where TOp : struct, IUnaryOp;

    /// <summary>c = a ∘ b elementwise (same lengths).</summary>
    void Binary<TOp>(in TOp op, DeviceBuffer a, DeviceBuffer b, DeviceBuffer c) where TOp : struct, IBinaryOp;

    /// <summary>c(rows,cols) = a(rows,cols) ∘ row(cols), the row broadcast over every row (bias add).</summary>
    void BinaryRowBroadcast<TOp>(in TOp op, DeviceBuffer a, DeviceBuffer row, DeviceBuffer c, int rows, int cols) where TOp : struct, IBinaryOp;

    /// <summary>y = alpha·x elementwise.</summary>
    void Scale(DeviceBuffer x, float alpha, DeviceBuffer y);

    // ---- convolution and pooling (channels last) ------------------------------------------------------

    /// <summary>
    /// y(rows, OutChannels) = f(P·K + bias) with P (rows, PatchSize) the patches of x that
    /// <paramref name="geometry"/> describes (never stored whole) and K the kernel read as (PatchSize,
    /// OutChannels); <paramref name="bias"/> (OutChannels) may be null only with the identity f.
    /// </summary>
    void Conv2DForward<TOp>(in TOp activation, DeviceBuffer x, DeviceBuffer kernel, DeviceBuffer? bias, DeviceBuffer y, in ConvGeometry geometry) where TOp : struct, IUnaryOp;

    /// <summary>dx = the patches of dP = dy·Kᵀ added back where they were read from (every element of dx is written).</summary>
    void Conv2DBackwardInput(DeviceBuffer dy, DeviceBuffer kernel, DeviceBuffer dx, in ConvGeometry geometry);

    /// <summary>
    /// dkernel(PatchSize, OutChannels) = Pᵀ·dy over every row, in an order that does not depend on the thread count.
    /// With <paramref name="biasGradient"/>, dkernel has OutChannels more floats after the kernel gradient, which
    /// receive the bias gradient Σ_rows dy from the same pass over dy.
    /// </summary>
    void Conv2DBackwardFilter(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dkernel, in ConvGeometry geometry, bool biasGradient);

    /// <summary>
    /// y = max_pool(relu(conv(x) + bias)): <see cref="Conv2DForward{TOp}"/> with ReLU, then <see cref="Pool2D"/>
    /// (max) of its output, whose geometry <paramref name="pool"/> describes (its input is the convolution's
    /// output). The convolution's output is not kept: the backend may hold it in a workspace only.
    /// </summary>
    void Conv2DReluMaxPool(DeviceBuffer x, DeviceBuffer kernel, DeviceBuffer bias, DeviceBuffer y, in ConvGeometry conv, in PoolGeometry pool);

    /// <summary>
    /// The kernel and bias gradients of <see cref="Conv2DReluMaxPool"/> given dy of its pooled output:
    /// dkernelAndBias = (dK (PatchSize, OutChannels), then db (OutChannels)), with dz = the max pooling's gradient
    /// of dy times ReLU's derivative (<see cref="PoolKind.MaxAfterRelu"/>) on the recomputed convolution,
    /// dK = Pᵀ·dz and db = Σ_rows dz, in an order that does not depend on the thread count.
    /// </summary>
    void Conv2DReluMaxPoolBackwardFilter(DeviceBuffer x, DeviceBuffer kernel, DeviceBuffer bias, DeviceBuffer dy, DeviceBuffer dkernelAndBias, in ConvGeometry conv, in PoolGeometry pool);

    /// <summary>
    /// The grouped convolution y(N, OH, OW, OutChannels) of x: kernel (KernelHeight,
    /// KernelWidth, InChannels/groups, OutChannels), output channel f reading the input channels of group
    /// f / (OutChannels/groups). A depthwise kernel (kh, kw, C, M) is this with groups = C. No bias.
    /// </summary>
    void GroupedConv2DForward(DeviceBuffer x, DeviceBuffer kernel, DeviceBuffer y, in ConvGeometry geometry, int groups);

    /// <summary>dx of <see cref="GroupedConv2DForward"/> (every element of dx is written).</summary>
    void GroupedConv2DBackwardInput(DeviceBuffer dy, DeviceBuffer kernel, DeviceBuffer dx, in ConvGeometry geometry, int groups);

    /// <summary>dkernel of <see cref="GroupedConv2DForward"/>, summed in an order that does not depend on the thread count.</summary>
    void GroupedConv2DBackwardFilter(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dkernel, in ConvGeometry geometry, int groups);

    /// <summary>y = the max or the mean (of the cells inside the image) of each window of x.</summary>
    void Pool2D(PoolKind kind, DeviceBuffer x, DeviceBuffer y, in PoolGeometry geometry);

    /// <summary>
    /// dx of <see cref="Pool2D"/>: max sends each dy to the first cell (row-major in the window) holding the
    /// window's maximum of x; average spreads dy/count over the counted cells. No atomics: deterministic.
    /// </summary>
    void Pool2DBackward(PoolKind kind, DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dx, in PoolGeometry geometry);

    // ---- spatial resampling (channels last) -----------------------------------------------------------

    /// <summary>
    /// y = x padded with zeros or cropped as <paramref name="geometry"/> says (every element of y is written):
    /// ZeroPadding2D and Cropping2D, and each one's gradient (the other with the opposite offsets).
    /// </summary>
    void Pad2D(DeviceBuffer x, DeviceBuffer y, in PadGeometry geometry);

    /// <summary>y = x with every row repeated SizeHeight times and every column SizeWidth times (nearest upsampling).</summary>
    void UpSample2D(DeviceBuffer x, DeviceBuffer y, in UpSampleGeometry geometry);

    /// <summary>
    /// dx of <see cref="UpSample2D"/>: each dx cell is the sum of the SizeHeight × SizeWidth dy cells that copied it,
    /// added row by row, column by column (a fixed order: no atomics).
    /// </summary>
    void UpSample2DBackward(DeviceBuffer dy, DeviceBuffer dx, in UpSampleGeometry geometry);

    /// <summary>
    /// y(batch, pixels, channels) = x(batch, pixels, channels) · scale(batch, channels), the sample's row of scales
    /// broadcast over its pixels (SpatialDropout2D's mask, and its gradient).
    /// </summary>
    void ScaleChannels(DeviceBuffer x, DeviceBuffer scale, DeviceBuffer y, int batch, int pixels, int channels);

    // ---- reductions ----------------------------------------------------------------------------

    /// <summary>y(cols) = Σ_rows x(rows,cols) (bias gradient).</summary>
    void SumRows(DeviceBuffer x, DeviceBuffer y, int rows, int cols);

    /// <summary>y(1) = scale · Σ x (in a fixed order).</summary>
    void SumAll(DeviceBuffer x, DeviceBuffer y, float scale);

    /// <summary>y[i] = scale · s[0] for every i (the backward of a sum).</summary>
    void BroadcastScalar(DeviceBuffer s, DeviceBuffer y, float scale);

    /// <summary>acc[index] += scale · Σ x — a metric accumulator that lives on the device.</summary>
    void AccumulateSum(DeviceBuffer x, DeviceBuffer acc, int index, float scale);

    // ---- batch normalization (per feature column of a (rows, features) matrix) -----------------------

    /// <summary>
    /// Batch statistics of x(rows, features): stats(2, features) gets the column means in row 0 and the
    /// biased column variances (divided by rows) in row 1, each column reduced in a fixed order (two passes
    /// over the column: the mean, then the squared deviations), so results repeat bit for bit.
    /// rows = 0 writes zeros.
    /// </summary>
    void BatchNormStatistics(DeviceBuffer x, DeviceBuffer stats, int rows, int features);

    /// <summary>
    /// y(rows, features) = (x − mean)·(gamma·invstd) + beta with invstd = 1/√(variance + epsilon); mean,
    /// variance, gamma and beta are (features) rows broadcast over every row of x(rows, features);
    /// <paramref name="gamma"/> and <paramref name="beta"/> may be null (factor 1, offset 0).
    /// </summary>
    void BatchNormForward(DeviceBuffer x, DeviceBuffer mean, DeviceBuffer variance, DeviceBuffer? gamma, DeviceBuffer? beta, DeviceBuffer y, int rows, int features, float epsilon);

    /// <summary>
    /// The column sums of the batch-norm backward: sums(2, features) gets Σ_rows dy in row 0 (dbeta) and
    /// Σ_rows dy·xhat in row 1 (dgamma), xhat = (x − mean)·invstd, for x and dy (rows, features) and mean,
    /// variance (features); deterministic order. rows = 0 writes zeros.
    /// </summary>
    void BatchNormBackwardReduce(DeviceBuffer x, DeviceBuffer mean, DeviceBuffer variance, DeviceBuffer dy, DeviceBuffer sums, int rows, int features, float epsilon);

    /// <summary>
    /// dx(rows, features) of batch normalization. With <paramref name="batchStatistics"/> (training: mean
    /// and variance are the batch's own, so they depend on x) dx = gamma·invstd·(dy − sums[0]/rows −
    /// xhat·sums[1]/rows), with <paramref name="sums"/> (2, features) from <see cref="BatchNormBackwardReduce"/>;
    /// without (moving statistics are constants) dx = gamma·invstd·dy and <paramref name="sums"/> is not read
    /// (may be null). <paramref name="gamma"/> (features) may be null (factor 1).
    /// </summary>
    void BatchNormBackwardInput(DeviceBuffer x, DeviceBuffer mean, DeviceBuffer variance, DeviceBuffer? gamma, DeviceBuffer dy, DeviceBuffer? sums, DeviceBuffer dx,
        int rows, int features, float epsilon, bool batchStatistics);

    // ---- softmax and losses ----------------------------------------------------------------------

    /// <summary>y(rows,cols) = softmax of each row of x, max-subtracted.</summary>
    void Softmax(DeviceBuffer x, DeviceBuffer y, int rows, int cols);

    /// <summary>dx = y ⊙ (dy − Σ_j dy·y) per row.</summary>
    void SoftmaxBackward(DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx, int rows, int cols);

    /// <summary>y(rows,cols) = x − max − log Σ_j e^(x_j − max) per row: log_softmax without forming the probabilities.</summary>
    void LogSoftmax(DeviceBuffer x, DeviceBuffer y, int rows, int cols);

    /// <summary>dx = dy − e^y · Σ_j dy per row, where y is the log_softmax output.</summary>
    void LogSoftmaxBackward(DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx, int rows, int cols);

    /// <summary>
    /// Fused, stable softmax cross-entropy: loss(rows) = logsumexp(z) − Σ t·z with t the (smoothed)
    /// one-hot target. <paramref name="sparse"/>: labels are (rows) class indices stored as floats,
    /// else (rows, cols) probabilities.
    /// </summary>
    void SoftmaxCrossEntropy(DeviceBuffer logits, DeviceBuffer labels, DeviceBuffer loss, int rows, int cols, bool sparse, float labelSmoothing);

    /// <summary>dz(rows,cols) = (softmax(z) − t) · dloss[row].</summary>
    void SoftmaxCrossEntropyBackward(DeviceBuffer logits, DeviceBuffer labels, DeviceBuffer dloss, DeviceBuffer dlogits, int rows, int cols, bool sparse, float labelSmoothing);

    /// <summary>Per-row loss(rows) of <paramref name="kind"/> for predictions (rows, cols) against targets (rows, cols).</summary>
    void Loss(LossKind kind, DeviceBuffer pred, DeviceBuffer target, DeviceBuffer loss, int rows, int cols, LossParams param);

    /// <summary>dpred(rows,cols) = ∂loss[row]/∂pred · dloss[row].</summary>
    void LossBackward(LossKind kind, DeviceBuffer pred, DeviceBuffer target, DeviceBuffer dloss, DeviceBuffer dpred, int rows, int cols, LossParams param);

    /// <summary>
    /// acc[index] += Σ_r weights[r] · (1 when row r's prediction matches the target, as <paramref name="kind"/>
    /// defines; for binary accuracy the fraction of matching elements of the row). Null
    /// <paramref name="weights"/> weigh every row 1: the count of correct rows.
    /// </summary>
    void CountCorrect(AccuracyKind kind, DeviceBuffer pred, DeviceBuffer target, DeviceBuffer? weights, DeviceBuffer acc, int index, int rows, int cols, float threshold);

    /// <summary>
    /// acc[index] += Σ weights[r] over the rows r of (rows, cols) whose target class is among the
    /// <paramref name="k"/> largest predictions, with the in_top_k tie rule of TensorFlow: the class counts when
    /// fewer than k classes score strictly higher (so ties at the boundary count); a non-finite score or an
    /// out-of-range class never counts. Null <paramref name="weights"/> weigh every row 1 (the count of such rows).
    /// <paramref name="sparse"/>: target holds one class index per row, else one-hot rows (argmax).
    /// </summary>
    void CountTopK(DeviceBuffer pred, DeviceBuffer target, DeviceBuffer? weights, DeviceBuffer acc, int index, int rows, int cols, int k, bool sparse);

    /// <summary>
    /// Weighted confusion counts of the n elements of pred (rows of <paramref name="cols"/>) at
    /// <paramref name="count"/> thresholds: element e weighs weights[e / cols], is predicted positive at threshold
    /// i when pred[e] &gt; t_i and actually positive when target[e] ≠ 0, and acc[index + 4i + (0, 1, 2, 3)] +=
    /// the weight sums of (TP, FP, TN, FN), as Keras's update_confusion_matrix_variables. t_0 =
    /// <paramref name="first"/>, t_(count−1) = <paramref name="last"/>, and the interior thresholds are
    /// i/(count − 1) (Keras's AUC placement). Null <paramref name="weights"/> weigh every element 1 (counts).
    /// </summary>
    void CountThresholds(DeviceBuffer pred, DeviceBuffer target, DeviceBuffer? weights, DeviceBuffer acc, int index, int n, int cols, int count, float first, float last);

    /// <summary>
    /// acc[index] += Σ_i (weights[i] − 1) over the n weights, in a fixed order: the weight sum of a batch beyond
    /// one per row, which a weighted mean metric adds to the samples seen to get Keras's Σ w (0 when every
    /// weight is 1).
    /// </summary>
    void AccumulateExcessWeight(DeviceBuffer weights, DeviceBuffer acc, int index, int n);

    /// <summary>
    /// values[r] = the <paramref name="kind"/> value of prediction row r of (rows, cols) against target row r
    /// (the regression metrics), each row summed in column order.
    /// </summary>
    void RowMetric(RowMetricKind kind, DeviceBuffer pred, DeviceBuffer target, DeviceBuffer values, int rows, int cols);

    /// <summary>
    /// Confusion matrix of class ids: for each item, acc[index + t·classes + p] += its row's weight (1 when
    /// <paramref name="weights"/> is null), items in order. With <paramref name="sparsePred"/> every element of
    /// pred (rows, cols) is an item whose predicted class is its value and whose true class is the same element
    /// of target; else each row is one item predicting its argmax, with the true class target[row]
    /// (<paramref name="sparseTarget"/>) or the argmax of the target row. Items whose classes fall outside
    /// [0, classes) or whose true class is <paramref name="ignoreClass"/> count nowhere (Keras's MeanIoU).
    /// </summary>
    void CountConfusionMatrix(DeviceBuffer pred, DeviceBuffer target, DeviceBuffer? weights, DeviceBuffer acc, int index,
        int rows, int cols, int classes, bool sparsePred, bool sparseTarget, int ignoreClass);

    /// <summary>
    /// Per-column sums of the F-beta and R² metrics over pred and target of (rows, cols): for each column c,
    /// acc[index + 4c + k] += the <paramref name="kind"/> sums k = 0..3, each row weighing its weight (1 when
    /// <paramref name="weights"/> is null), rows in order. <paramref name="threshold"/> is used by
    /// <see cref="ClassStatKind.FBetaThreshold"/> only.
    /// </summary>
    void CountClassStats(ClassStatKind kind, DeviceBuffer pred, DeviceBuffer target, DeviceBuffer? weights, DeviceBuffer acc, int index,
        int rows, int cols, float threshold);

    // ---- randomness, data movement, state ------------------------------------------------------------

    /// <summary>
    /// mask[i] = (philox(seed, step, stream, i) ≥ rate) ? 1/(1−rate) : 0, with step read from
    /// <paramref name="counters"/>[<see cref="StateSlots.OptimizerStep"/>] so replays need no host input.
    /// </summary>
    void DropoutMask(DeviceBuffer mask, float rate, ulong seed, uint stream, DeviceBuffer counters);

    /// <summary>
    /// dst(batch, height, width, channels) = src warped per sample by a random affine transform of
    /// <paramref name="spec"/>, drawn from Philox at (seed, counters[<see cref="StateSlots.OptimizerStep"/>],
    /// stream, b·8 + k) on the device, so every backend draws the same transforms (<see cref="AugmentMath"/>).
    /// </summary>
    void AffineWarp(DeviceBuffer src, DeviceBuffer dst, int batch, int height, int width, int channels, in AugmentSpec spec, ulong seed, uint stream, DeviceBuffer counters);

    /// <summary>
    /// dst(batch, spec.Height, spec.Width, channels) = the box of <paramref name="spec"/> cut out of each
    /// src(batch, height, width, channels) image and resized bilinearly (half-pixel centres; a box of the output
    /// size is copied). Random offsets are one per batch, drawn from Philox at (seed,
    /// counters[<see cref="StateSlots.OptimizerStep"/>], stream, 0 and 1) on the device (<see cref="AugmentMath.CropBox"/>).
    /// </summary>
    void CropResize(DeviceBuffer src, DeviceBuffer dst, int batch, int height, int width, int channels, in CropSpec spec, ulong seed, uint stream, DeviceBuffer counters);

    /// <summary>
    /// dst(rows, rowLength) = src[order.Row(cursor + r, epoch)] for r &lt; rows, with cursor read from
    /// counters[<paramref name="cursorSlot"/>] and epoch from counters[<see cref="StateSlots.Epoch"/>]
    /// (the cursor is not advanced: inputs and labels gather at the same cursor).
    /// </summary>
    void GatherRows(DeviceBuffer src, DeviceBuffer dst, int rows, int rowLength, DeviceBuffer counters, int cursorSlot, RowOrder order);

    /// <summary>counters[slot] += delta (int buffer).</summary>
    void AddToCounter(DeviceBuffer counters, int slot, int delta);

    /// <summary>Writes <paramref name="value"/> into counters[slot], in stream order with the queued work (a GPU passes it as a kernel argument).</summary>
    void SetCounter(DeviceBuffer counters, int slot, int value);

    // ---- optimizers --------------------------------------------------------------------------------

    /// <summary>
    /// One Keras Adam step over the flat parameter buffer. t = counters[OptimizerStep] + 1 and the
    /// learning rate = hyper[LearningRate] are read on the device; the caller advances the counter.
    /// </summary>
    void AdamStep(DeviceBuffer param, DeviceBuffer grad, DeviceBuffer m, DeviceBuffer v, DeviceBuffer hyper, DeviceBuffer counters, float beta1, float beta2, float epsilon);

    /// <summary>
    /// One Keras Nadam step. With t = counters[OptimizerStep] + 1 it first advances the momentum product on
    /// the device, hyper[NadamUProduct] = (t == 1 ? 1 : hyper[NadamUProduct])·β₁(1 − ½·0.96ᵗ), then updates
    /// m, v and the parameters with lr = hyper[LearningRate] (see <c>Nadam</c>); the caller advances the counter.
    /// </summary>
    void NadamStep(DeviceBuffer param, DeviceBuffer grad, DeviceBuffer m, DeviceBuffer v, DeviceBuffer hyper, DeviceBuffer counters, float beta1, float beta2, float epsilon);

    /// <summary>One Keras SGD step (momentum / Nesterov when momentum &gt; 0), learning rate read from hyper.</summary>
    void SgdStep(DeviceBuffer param, DeviceBuffer grad, DeviceBuffer velocity, DeviceBuffer hyper, float momentum, bool nesterov);

    /// <summary>
    /// One Keras RMSprop step, lr read from hyper[LearningRate]: v = ρv + (1−ρ)g²; centered: a = ρa + (1−ρ)g,
    /// d = v − a² + ε, else d = v + ε; inc = lr·g/√d; momentum &gt; 0: m = μm + inc, w −= m; else w −= inc.
    /// <paramref name="momentumBuffer"/> is untouched without momentum, <paramref name="averageGradient"/> unless centered.
    /// </summary>
    void RmspropStep(DeviceBuffer param, DeviceBuffer grad, DeviceBuffer velocity, DeviceBuffer momentumBuffer, DeviceBuffer averageGradient, DeviceBuffer hyper, float rho, float momentum, float epsilon, bool centered);

    /// <summary>One Keras Adagrad step, lr read from hyper[LearningRate]: a += g²; w −= lr·g/√(a + ε).</summary>
    void AdagradStep(DeviceBuffer param, DeviceBuffer grad, DeviceBuffer accumulator, DeviceBuffer hyper, float epsilon);

    /// <summary>
    /// One Keras Adamax step, t = counters[OptimizerStep] + 1 and lr = hyper[LearningRate] read on the device:
    /// m += (g − m)(1 − β1); u = max(β2·u, |g|); w −= lr·m / ((1 − β1^t)(u + ε)).
    /// </summary>
    void AdamaxStep(DeviceBuffer param, DeviceBuffer grad, DeviceBuffer m, DeviceBuffer u, DeviceBuffer hyper, DeviceBuffer counters, float beta1, float beta2, float epsilon);

    /// <summary>One Keras Lion step, lr = hyper[LearningRate]: w −= lr·sign(β1·m + (1 − β1)·g); m = β2·m + (1 − β2)·g.</summary>
    void LionStep(DeviceBuffer param, DeviceBuffer grad, DeviceBuffer m, DeviceBuffer hyper, float beta1, float beta2);

    /// <summary>
    /// One Keras Adadelta step, lr = hyper[LearningRate]: a = ρ·a + (1 − ρ)·g²; d = −√(b + ε)/√(a + ε)·g;
    /// b = ρ·b + (1 − ρ)·d²; w += lr·d (a: accumulated gradients, b: accumulated updates).
    /// </summary>
    void AdadeltaStep(DeviceBuffer param, DeviceBuffer grad, DeviceBuffer accumulatedGrad, DeviceBuffer accumulatedDelta, DeviceBuffer hyper, float rho, float epsilon);

    /// <summary>
    /// Keras Adam with amsgrad: the <see cref="AdamStep"/> moments, then v̂ = max(v̂, v) and
    /// w −= α·m/(√v̂ + ε), α = lr·√(1−β₂ᵗ)/(1−β₁ᵗ), t = counters[OptimizerStep] + 1 read on the device.
    /// </summary>
    void AdamAmsgradStep(DeviceBuffer param, DeviceBuffer grad, DeviceBuffer m, DeviceBuffer v, DeviceBuffer vHat, DeviceBuffer hyper, DeviceBuffer counters, float beta1, float beta2, float epsilon);

    /// <summary>
    /// Keras Ftrl (ftrl.py update_step), lr read on the device: with p = −learningRatePower, n' = n + g²,
    /// z += g + 2·l2Shrinkage·w − (n'^p − n^p)/lr·w, w = (clip(z, −l1, l1) − z)/(n'^p/lr + 2·(l2 + beta/(2·lr))), n = n'.
    /// </summary>
    void FtrlStep(DeviceBuffer param, DeviceBuffer grad, DeviceBuffer accumulator, DeviceBuffer linear, DeviceBuffer hyper,
        float learningRatePower, float l1, float l2, float l2Shrinkage, float beta);

    /// <summary>
    /// hyper[LearningRate] = the schedule at t = counters[OptimizerStep] (iterations before the update),
    /// computed in float64 on the device and stored as float32, so a captured step follows the schedule.
    /// </summary>
    void ScheduleLearningRate(in DeviceSchedule schedule, DeviceBuffer hyper, DeviceBuffer counters);

    /// <summary>Keras's decoupled weight decay, lr read from hyper[LearningRate]: w ← w − w·wd·lr.</summary>
    void DecayWeights(DeviceBuffer param, DeviceBuffer hyper, float weightDecay);

    /// <summary>
    /// Keras's optimizer EMA after a step (<c>use_ema</c>), with t = counters[OptimizerStep] (iterations before
    /// the caller advances it): μ = t == 0 ? 0 : <paramref name="momentum"/>, average ← μ·average + (1 − μ)·param;
    /// then, when <paramref name="overwriteFrequency"/> &gt; 0 and (t + 1) is a multiple of it, param ← average.
    /// </summary>
    void EmaUpdate(DeviceBuffer param, DeviceBuffer average, DeviceBuffer counters, float momentum, int overwriteFrequency);

    /// <summary>Keras <c>clipvalue</c>: g ← clip(g, −c, c) elementwise (NaN stays NaN).</summary>
    void ClipGradientValues(DeviceBuffer grad, float clipValue);

    /// <summary>
    /// Keras <c>clipnorm</c> / <c>global_clipnorm</c> on the device. <paramref name="segments"/> (int) holds
    /// (offset, length) of each of <paramref name="segmentCount"/> variables in <paramref name="grad"/>;
    /// <paramref name="squaredNorms"/> (≥ segmentCount floats) receives each variable's Σg² (a deterministic
    /// reduction). Per variable: g ← g·c/max(‖g‖, c); global: g ← g·c·min(1/‖G‖, 1/c), ‖G‖² = Σ over variables.
    /// </summary>
    void ClipGradientNorms(DeviceBuffer grad, DeviceBuffer segments, int segmentCount, DeviceBuffer squaredNorms, float clipNorm, bool global);
}
