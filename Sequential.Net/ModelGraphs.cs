using SequentialNet.Graph;
using SequentialNet.Graph.Ops;
using SequentialNet.Layers;
using SequentialNet.Losses;
using SequentialNet.Metrics;
using SequentialNet.Optimizers;

namespace SequentialNet;

/// <summary>
/// The two static graphs of a compiled model. Train: forward (training mode), loss, metrics, backward,
/// optimizer update. Evaluate: forward (inference mode), loss and metrics; its forward alone is Predict.
/// </summary>
internal sealed class ModelGraphs
{
    /// <summary>One graph with its placeholders and effect sinks.</summary>
    internal sealed class Part(GraphBuilder builder, Node input, Node labels, Node output, Dictionary<Variable, Node> parameters)
    {
        public GraphBuilder Builder { get; } = builder;
        public Node Input { get; } = input;
        public Node Labels { get; } = labels;
        public Node Output { get; } = output;
        public Dictionary<Variable, Node> Parameters { get; } = parameters;
        public List<Node> Effects { get; } = [];
        /// <summary>The per-sample loss weights, shaped like the per-sample loss (ones when the call is unweighted); the metrics stay unweighted, as Keras's <c>metrics</c>.</summary>
        public Node? SampleWeights { get; set; }

        public IReadOnlyCollection<Node> Sinks(PlanKind kind) => kind == PlanKind.Predict ? [Output] : Effects;
    }

    public ModelGraphs(IReadOnlyList<Layer> layers, int[] inputShape, Loss loss, IReadOnlyList<Metric> metrics, Optimizer optimizer)
    {
        Optimizer = optimizer;
        Loss = loss;
        MetricNames = ["loss", .. metrics.Select(m => m.Name)];
        MetricDirections = ["min", .. metrics.Select(m => m.Direction)];
        var variables = layers.SelectMany(l => l.Weights.Select(w => (w, l.Trainable && w.Trainable))).ToList();
        TrainableVariables = variables.Where(v => v.Item2).Select(v => v.w).ToArray();
        _trainable = [.. TrainableVariables];   // membership in O(1): Contains on the array made Compile quadratic
        FrozenVariables = variables.Where(v => !v.Item2).Select(v => v.w).ToArray();
        Metrics = [.. metrics];
        MetricOffsets = new int[metrics.Count];
        long stride = 1;                                   // slot 0: the loss
        for (int m = 0; m < metrics.Count; m++)
        {
            MetricOffsets[m] = (int)stride;
            stride += metrics[m].Slots;
            if (stride > MaxAccumulatorSlots)
                throw new ArgumentException($"Compile: the metrics need more than {MaxAccumulatorSlots} accumulator slots (metric \"{metrics[m].Name}\" reaches {stride}; AUC uses 4 per threshold). Compile fewer metrics or use fewer thresholds.", nameof(metrics));
        }
        AccumulatorStride = (int)stride;
        Train = Build(layers, inputShape, training: true, metrics, 0);
        Evaluate = Build(layers, inputShape, training: false, metrics, AccumulatorStride);
        AddBackward();
    }

    private readonly HashSet<Variable> _trainable;

    /// <summary>Most accumulator slots (loss and metrics) one mode may use.</summary>
    public const int MaxAccumulatorSlots = 1 << 16;

    /// <summary>The compiled metrics, in order.</summary>
    public Metric[] Metrics { get; }
    /// <summary>Offset of each metric's first slot within a mode's accumulator region (the loss is at 0).</summary>
    public int[] MetricOffsets { get; }
    /// <summary>Floats per mode: 1 (loss) + the metrics' slots. The train region starts at 0, evaluation at this.</summary>
    public int AccumulatorStride { get; }

    public Part Train { get; }
    public Part Evaluate { get; }
    public Optimizer Optimizer { get; }
    public Loss Loss { get; }
    public string[] MetricNames { get; }
    public string[] MetricDirections { get; }
    public Variable[] TrainableVariables { get; }
    public Variable[] FrozenVariables { get; }
    /// <summary>For each trainable variable, the node whose value is its gradient (bound to the flat gradient buffer).</summary>
    public Dictionary<Variable, Node> GradientNodes { get; } = [];
    public Node TrainLoss { get; private set; } = null!;

    public Part For(PlanKind kind) => kind == PlanKind.Train ? Train : Evaluate;

    private Part Build(IReadOnlyList<Layer> layers, int[] inputShape, bool training, IReadOnlyList<Metric> metrics, int accumulatorBase)
    {
        var g = new GraphBuilder();
        var parameters = new Dictionary<Variable, Node>();
        var ctx = new LayerContext(g, training, v => parameters.TryGetValue(v, out var n) ? n
            : parameters[v] = g.Parameter(v.Shape, v.Name, trainable: training && _trainable.Contains(v)));
        Node x = g.Input(inputShape, "x");
        Node output = x;
        for (int i = 0; i < layers.Count; i++)
        {
            ctx.LayerIndex = i;
            output = layers[i].Call(ctx, output);
        }
        int[] labelShape = Loss.SparseLabels ? output.Shape[..^1] : output.Shape;
        Node labels = g.Input(labelShape, "y");
        var part = new Part(g, x, labels, output, parameters);
        part.Effects.AddRange(g.Nodes.Where(n => n.Op.HasSideEffects));   // layers' effects (BatchNormalization's moving statistics)
        Node perSample = Loss.PerSample(g, output, labels);
        // Keras "sum_over_batch_size" with sample weights: Σ w·l / batch size; the reported loss (and val_loss) is the weighted one.
        part.SampleWeights = g.Input(perSample.Shape, "sample_weight");
        perSample = g.Binary(new Backends.Mul(), perSample, part.SampleWeights);
        if (training) TrainLoss = g.Mean(perSample);
        // Keras adds the regularization losses in training and in evaluation (compute_loss serves both steps).
        if (RegularizationPenalty(g, layers, parameters) is Node penalty)
        {
            if (training) TrainLoss = g.AddN(TrainLoss, penalty);
            // The accumulator sums per-sample losses and is divided by the samples seen: add penalty·rows.
            part.Effects.Add(g.Effect(new AccumulateOp(accumulatorBase, 1f, perRow: true), penalty));
        }
        part.Effects.Add(g.Effect(new AccumulateOp(accumulatorBase, 1f), perSample));
        for (int m = 0; m < metrics.Count; m++)
        {
            int before = g.Nodes.Count;
            metrics[m].Emit(g, output, labels, Loss.SparseLabels, accumulatorBase + MetricOffsets[m]);
            part.Effects.AddRange(g.Nodes.Skip(before).Where(n => n.Op.HasSideEffects));
        }
        return part;
    }

    /// <summary>
    /// The sum of the weight regularizers' penalties over the trainable variables (Keras adds the losses of
    /// <c>trainable_weights</c> only), or null when no layer regularizes a weight.
    /// </summary>
    private Node? RegularizationPenalty(GraphBuilder g, IReadOnlyList<Layer> layers, Dictionary<Variable, Node> parameters)
    {
        Node? total = null;
        foreach (var layer in layers)
            foreach (var (variable, regularizer) in layer.Regularized)
            {
                if (!_trainable.Contains(variable) || !parameters.TryGetValue(variable, out var node)) continue;
                Node penalty = regularizer.Emit(g, node);
                total = total == null ? penalty : g.AddN(total, penalty);
            }
        return total;
    }

    private void AddBackward()
    {
        var g = Train.Builder;
        var wrt = TrainableVariables.Select(v => Train.Parameters.GetValueOrDefault(v)).ToArray();
        var live = wrt.Where(n => n != null).Cast<Node>().ToArray();
        var variableOf = TrainableVariables.Where(v => Train.Parameters.ContainsKey(v)).ToDictionary(v => Train.Parameters[v]);
        Node?[] grads = Autodiff.Gradients(g, TrainLoss, live);
        var taken = new HashSet<Node>();
        for (int i = 0; i < live.Length; i++)
        {
            if (grads[i] is not Node grad) continue;
            // A gradient must land in its slot of the flat buffer: copy when the node cannot own that memory.
            if (grad.Op.IsAlias || grad.Inputs.Length == 0 || !taken.Add(grad))
                grad = g.Add(new CopyOp(), [grad], grad.Shape, grad.Batched, "grad_copy");
            var variable = variableOf[live[i]];
            GradientNodes[variable] = grad;
        }
    }

    /// <summary>Appends the optimizer step, which needs the device buffers that exist only after the graph.</summary>
    public void BindOptimizer(ParameterStore store, Backends.DeviceBuffer[] slots)
    {
        var step = Train.Builder.Effect(new OptimizerStepOp(Optimizer, store, slots), [.. GradientNodes.Values]);
        Train.Effects.Add(step);
    }
}
