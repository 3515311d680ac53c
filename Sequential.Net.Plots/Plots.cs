using SequentialNet.Plotting.Diagram;

namespace SequentialNet.Plotting;

/// <summary>
/// PNG plots of a model: <see cref="ConfusionMatrix"/> for a classifier and <see cref="Model"/>, a diagram of
/// the layers (Keras's <c>keras.utils.plot_model</c> with <c>show_shapes=True</c>). Training curves are
/// <see cref="HistoryPlots.Plot"/> (<c>history.Plot("curves.png")</c>).
/// </summary>
public static class Plots
{
    /// <summary>
    /// Predicts <paramref name="x"/>, compares with <paramref name="y"/> and writes the confusion matrix to
    /// <paramref name="path"/> (PNG): rows are true classes (top: class 0), columns predicted classes, each cell
    /// shaded by and labelled with its count.
    /// </summary>
    /// <param name="model">A trained classifier: softmax output (N, C), or one sigmoid unit (N, 1) thresholded at 0.5.</param>
    /// <param name="x">Inputs, one sample per row.</param>
    /// <param name="y">True labels: class indices (N,) or (N, 1), or one-hot rows (N, C).</param>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="classNames">Axis labels, one per class; default "0", "1", ….</param>
    /// <param name="size">Width and height of the square image, in pixels.</param>
    /// <param name="batchSize">Batch size of the prediction.</param>
    /// <returns>The counts, <c>[true class, predicted class]</c>.</returns>
    /// <exception cref="ArgumentException">x and y differ in rows, a label is not a class index, or classNames is too short.</exception>
    public static int[,] ConfusionMatrix(Model model, Tensor x, Tensor y, string path,
        IReadOnlyList<string>? classNames = null, int size = 640, int batchSize = 32)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        PngFile.CheckPath(path, nameof(path));
        PngFile.CheckSize(size, size);
        if (x.RowCount != y.RowCount)
            throw new ArgumentException($"ConfusionMatrix expected y with {x.RowCount} rows, one per sample of x. Received: y of shape ({string.Join(", ", y.Shape)}).", nameof(y));
        int[] truth = ConfusionCounts.TrueClasses(y);   // checked before the prediction, so bad labels cost nothing
        Tensor predictions = model.Predict(x, batchSize: batchSize);
        int[] predicted = ConfusionCounts.PredictedClasses(predictions);
        int outputs = predictions.Rank == 2 && predictions.Dim(1) > 1 ? predictions.Dim(1) : 2;
        int classes = Math.Max(outputs, truth.Length == 0 ? 0 : truth.Max() + 1);
        var names = classNames ?? Enumerable.Range(0, classes).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        if (names.Count < classes)
            throw new ArgumentException($"ConfusionMatrix expected {classes} class names. Received: {names.Count}.", nameof(classNames));
        int[,] counts = ConfusionCounts.Count(truth, predicted, classes);
        ConfusionMatrixPlot.Save(counts, names.Take(classes).ToArray(), path, size, size);
        return counts;
    }

    /// <summary>
    /// Writes a diagram of <paramref name="model"/> to <paramref name="path"/> (PNG), as Keras's
    /// <c>plot_model(model, show_shapes=True)</c>: an input box, then one box per layer with its name, class and
    /// input and output shapes (None: the batch axis), and arrows along the data flow. The image is as large as
    /// the diagram needs.
    /// </summary>
    /// <param name="model">The model; its input shape must be known for the shapes to be shown (else "?").</param>
    /// <param name="path">The PNG file to write.</param>
    /// <returns>The image size in pixels.</returns>
    public static (int Width, int Height) Model(Model model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        PngFile.CheckPath(path, nameof(path));
        IModelGraph graph = model is Sequential || !model.HasGraph ? new LayerChainGraph(model) : new FunctionalGraphDiagram(model);
        return DiagramRenderer.Save(graph, path);
    }
}
