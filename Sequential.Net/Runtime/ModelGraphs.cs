using SequentialNet.Graph;
using SequentialNet.Graph.Ops;
using SequentialNet.Layers;
using SequentialNet.Losses;
using SequentialNet.Metrics;
using SequentialNet.Optimizers;

namespace SequentialNet;

/// <summary>
/// The two static graphs of a compiled model, made from its call graph. Train: forward (training mode),
/// each output's loss and metrics, backward, optimizer update. Evaluate: forward (inference mode), losses
/// and metrics; its forward alone is Predict. Any number of inputs and outputs: one placeholder per input,
/// one label and one sample-weight placeholder per output.
/// </summary>
internal sealed class ModelGraphs
{
    /// <summary>One graph with its placeholders and effect sinks.</summary>
    internal sealed class Part(GraphBuilder builder, Node[] inputs, Node[] outputs, Dictionary<Variable, Node> parameters)
    {
        public GraphBuilder Builder { get; } = builder;
        public Node[] Inputs { get; } = inputs;
        public Node[] Outputs { get; } = outputs;
        /// <summary>Each output's targets.</summary>
        public Node[] Labels { get; set; } = [];
        /// <summary>Each output's per-sample weights, shaped like its per-sample loss (ones when the call is unweighted); they weigh the loss and, as in Keras 3, the weighted metrics only.</summary>
        public Node[] SampleWeights { get; set; } = [];
        public Dictionary<Variable, Node> Parameters { get; } = parameters;
        public List<Node> Effects { get; } = [];

        public IReadOnlyCollection<Node> Sinks(PlanKind kind) => kind == PlanKind.Predict ? Outputs : Effects;
    }

    /// <summary>One value of the logs: its History name, the accumulator slots it reads, how, and the output it measures (−1: the total loss).</summary>
    internal sealed record LogEntry(string Name, string Direction, int Offset, Metric? Metric, int Output = -1)
    {
        /// <summary>The mean over the samples seen (a loss), or the metric's own result.</summary>
        public double Result(ReadOnlySpan<float> region, int samples)
            => Metric == null ? region[Offset] / Math.Max(1, samples) : Metric.Result(region.Slice(Offset, Metric.Slots), samples);
    }

    public ModelGraphs(Model model, IReadOnlyList<Loss> losses, IReadOnlyList<double> lossWeights, IReadOnlyList<IReadOnlyList<Metric>> metrics, Optimizer optimizer)
    {
        Model = model;
        Optimizer = optimizer;
        Losses = [.. losses];
        LossWeights = [.. lossWeights];
        var trainable = model.TrainableWeights;
        _trainable = [.. trainable];
        TrainableVariables = [.. trainable];
        FrozenVariables = [.. model.Weights.Where(w => !_trainable.Contains(w))];
        Entries = LayOutLogs(model.OutputNames, metrics);
        MetricsPerOutput = metrics;
        Train = Build(training: true, 0);
        Evaluate = Build(training: false, AccumulatorStride);
        AddBackward();
    }

    private readonly HashSet<Variable> _trainable;

    /// <summary>Most accumulator slots (losses and metrics) one mode may use.</summary>
    public const int MaxAccumulatorSlots = 1 << 16;

    public Model Model { get; }
    public Loss[] Losses { get; }
    public double[] LossWeights { get; }
    public IReadOnlyList<IReadOnlyList<Metric>> MetricsPerOutput { get; }
    /// <summary>The logs in History order: "loss", then (several outputs) "{output}_loss" per output, then the metrics.</summary>
    public LogEntry[] Entries { get; }
    /// <summary>Floats per mode: the losses and the metrics' slots. The train region starts at 0, evaluation at this.</summary>
    public int AccumulatorStride { get; private set; }

    public Part Train { get; }
    public Part Evaluate { get; }
    public Optimizer Optimizer { get; }
    public Variable[] TrainableVariables { get; }
    public Variable[] FrozenVariables { get; }
    /// <summary>For each trainable variable, the node whose value is its gradient (bound to the flat gradient buffer).</summary>
    public Dictionary<Variable, Node> GradientNodes { get; } = [];
    public Node TrainLoss { get; private set; } = null!;

    public Part For(PlanKind kind) => kind == PlanKind.Train ? Train : Evaluate;

    private bool Several => Losses.Length > 1;

    /// <summary>Slot 0: the total loss; with several outputs, slot 1 + o: output o's loss; then each output's metrics.</summary>
    private LogEntry[] LayOutLogs(IReadOnlyList<string> outputs, IReadOnlyList<IReadOnlyList<Metric>> metrics)
    {
        var entries = new List<LogEntry> { new("loss", "min", 0, null) };
        long slot = 1;
        if (Several)
            for (int o = 0; o < outputs.Count; o++) entries.Add(new($"{outputs[o]}_loss", "min", (int)slot++, null, o));
        for (int o = 0; o < outputs.Count; o++)
            foreach (var metric in metrics[o])
            {
                metric.Prepare(Model.Graph.Outputs[o].ShapeWithoutBatch, forCompile: true);   // rows per sample; sizes F-beta's and R²'s per-class state
                entries.Add(new(Several ? $"{outputs[o]}_{metric.Name}" : metric.Name, metric.Direction, (int)slot, metric, o));
                slot += metric.Slots;
                if (slot > MaxAccumulatorSlots)
                    throw new ArgumentException($"Compile: the metrics need more than {MaxAccumulatorSlots} accumulator slots (metric \"{metric.Name}\" reaches {slot}; AUC uses 4 per threshold). Compile fewer metrics or use fewer thresholds.", nameof(metrics));
            }
        var repeated = entries.GroupBy(e => e.Name).FirstOrDefault(g => g.Count() > 1);
        if (repeated != null)
            throw new ArgumentException($"Compile: two logs would both be named \"{repeated.Key}\". Rename an output layer or a metric.", nameof(metrics));
        AccumulatorStride = (int)slot;
        return [.. entries];
    }

    private Part Build(bool training, int accumulatorBase)
    {
        var g = new GraphBuilder();
        var parameters = new Dictionary<Variable, Node>();
        var ctx = new LayerContext(g, training, v => parameters.TryGetValue(v, out var n) ? n
            : parameters[v] = g.Parameter(v.Shape, v.Name, trainable: training && _trainable.Contains(v)));
        var graph = Model.Graph;
        Node[] inputs = [.. graph.Inputs.Select((t, i) => g.Input(t.ShapeWithoutBatch, graph.Inputs.Length == 1 ? "x" : $"x{i}"))];
        Node[] outputs = graph.Emit(ctx, inputs);
        var part = new Part(g, inputs, outputs, parameters);
        part.Effects.AddRange(g.Nodes.Where(n => n.Op.HasSideEffects));   // layers' effects (BatchNormalization's moving statistics)
        int n = outputs.Length;
        part.Labels = new Node[n];
        part.SampleWeights = new Node[n];
        Node? total = null;
        var weighted = new Node[n];
        for (int o = 0; o < n; o++)
        {
            var loss = Losses[o];
            string suffix = n == 1 ? "" : o.ToString(System.Globalization.CultureInfo.InvariantCulture);
            part.Labels[o] = g.Input(loss.SparseLabels ? outputs[o].Shape[..^1] : outputs[o].Shape, "y" + suffix);
            Node perSample = loss.PerSample(g, outputs[o], part.Labels[o]);
            // Keras "sum_over_batch_size" with sample weights: Σ w·l / batch size; the reported loss (and val_loss) is the weighted one.
            part.SampleWeights[o] = g.Input(perSample.Shape, "sample_weight" + suffix);
            weighted[o] = g.Binary(new Backends.Mul(), perSample, part.SampleWeights[o]);
            if (!training) continue;
            // Keras: loss = Σ loss_weight_o · loss_o.
            Node mean = g.Mean(weighted[o]);
            if (LossWeights[o] != 1.0) mean = g.Scale(mean, (float)LossWeights[o]);
            total = total == null ? mean : g.AddN(total, mean);
        }
        if (training) TrainLoss = total!;
        // Keras adds the regularization losses in training and in evaluation (compute_loss serves both steps).
        if (RegularizationPenalty(g, parameters) is Node penalty)
        {
            if (training) TrainLoss = g.AddN(TrainLoss, penalty);
            // The accumulator sums per-sample losses and is divided by the samples seen: add penalty·rows.
            part.Effects.Add(g.Effect(new AccumulateOp(accumulatorBase, 1f, perRow: true), penalty));
        }
        for (int o = 0; o < n; o++)
        {
            // A loss with several values per sample (an image output: one per pixel) is reported as their mean, as
            // Keras's "sum_over_batch_size" divides Σ w·l by the number of loss values, not by the samples alone.
            double values = weighted[o].Shape.Aggregate(1L, (a, d) => a * d);
            part.Effects.Add(g.Effect(new AccumulateOp(accumulatorBase, (float)(LossWeights[o] / values)), weighted[o]));
            if (Several) part.Effects.Add(g.Effect(new AccumulateOp(accumulatorBase + 1 + o, (float)(1.0 / values)), weighted[o]));
        }
        foreach (var entry in Entries)
        {
            if (entry.Metric == null) continue;
            int o = entry.Output;
            int before = g.Nodes.Count;
            entry.Metric.EmitCompiled(g, outputs[o], part.Labels[o], part.SampleWeights[o], Losses[o].SparseLabels, accumulatorBase + entry.Offset);
            part.Effects.AddRange(g.Nodes.Skip(before).Where(node => node.Op.HasSideEffects));
        }
        return part;
    }

    /// <summary>
    /// The sum of the weight regularizers' penalties over the trainable variables (Keras adds the losses of
    /// <c>trainable_weights</c> only), or null when no layer regularizes a weight.
    /// </summary>
    private Node? RegularizationPenalty(GraphBuilder g, Dictionary<Variable, Node> parameters)
    {
        Node? total = null;
        var seen = new HashSet<Variable>();
        foreach (var layer in Model.Layers)
            foreach (var (variable, regularizer) in layer.Regularized)
            {
                if (!_trainable.Contains(variable) || !parameters.TryGetValue(variable, out var node) || !seen.Add(variable)) continue;
                Node penalty = regularizer.Emit(g, node);
                total = total == null ? penalty : g.AddN(total, penalty);
            }
        return total;
    }

    private void AddBackward()
    {
        var g = Train.Builder;
        var live = TrainableVariables.Where(Train.Parameters.ContainsKey).ToArray();
        Node?[] grads = Autodiff.Gradients(g, TrainLoss, [.. live.Select(v => Train.Parameters[v])]);
        var taken = new HashSet<Node>();
        for (int i = 0; i < live.Length; i++)
        {
            if (grads[i] is not Node grad) continue;
            // A gradient must land in its slot of the flat buffer: copy when the node cannot own that memory.
            if (grad.Op.IsAlias || grad.Inputs.Length == 0 || !taken.Add(grad))
                grad = g.Add(new CopyOp(), [grad], grad.Shape, grad.Batched, "grad_copy");
            GradientNodes[live[i]] = grad;
        }
    }

    /// <summary>Appends the optimizer step, which needs the device buffers that exist only after the graph.</summary>
    public void BindOptimizer(ParameterStore store, Backends.DeviceBuffer[] slots)
    {
        var step = Train.Builder.Effect(new OptimizerStepOp(Optimizer, store, slots), [.. GradientNodes.Values]);
        Train.Effects.Add(step);
    }
}
