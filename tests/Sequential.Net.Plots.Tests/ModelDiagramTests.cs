using SequentialNet.Layers;
using SequentialNet.Plotting.Diagram;

namespace SequentialNet.Plotting.Tests;

public class ModelDiagramTests
{
    private string _dir = "";

    [SetUp]
    public void MakeFolder() => _dir = Directory.CreateTempSubdirectory("snet-diagram-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_dir, recursive: true);

    private static Sequential SeedMlp() => new(
        new Dense(128, activation: "relu", inputShape: [784]),
        new Dropout(0.2),
        new Dense(10, activation: "softmax"));

    [Test]
    public void ChainGraph_ListsInputThenLayers_WithKerasShapes()
    {
        using var model = SeedMlp();
        var graph = new LayerChainGraph(model);

        Assert.That(graph.Nodes.Select(n => n.Type), Is.EqualTo(new[] { "InputLayer", "Dense", "Dropout", "Dense" }));
        Assert.That(graph.Nodes.Select(n => n.OutputShape), Is.EqualTo(new[] { "(None, 784)", "(None, 128)", "(None, 128)", "(None, 10)" }));
        Assert.That(graph.Nodes.Select(n => n.InputShape), Is.EqualTo(new[] { null, "(None, 784)", "(None, 128)", "(None, 128)" }));
        Assert.That(graph.Edges, Is.EqualTo(new[] { new DiagramEdge(0, 1), new DiagramEdge(1, 2), new DiagramEdge(2, 3) }));
    }

    [Test]
    public void ModelPng_IsTallerThanWide_AndNotBlank()
    {
        using var model = SeedMlp();
        string path = Path.Combine(_dir, "model.png");

        var (width, height) = Plots.Model(model, path);

        var png = PngImage.Read(path);
        Assert.That((png.Width, png.Height), Is.EqualTo((width, height)));
        Assert.That(height, Is.GreaterThan(width), "four boxes stacked vertically");
        Assert.That(png.InkFraction(), Is.InRange(0.1, 0.9));
    }

    [Test]
    public void UnknownInputShape_ShowsQuestionMarks()
    {
        using var model = new Sequential(new Dense(4), new Dense(2));
        var graph = new LayerChainGraph(model);
        Assert.That(graph.Nodes.Select(n => n.OutputShape), Is.All.EqualTo("?"));
        Assert.DoesNotThrow(() => Plots.Model(model, Path.Combine(_dir, "m.png")));
    }

    // A diamond (input → two branches → merge): what a functional model lists through IModelGraph.
    private sealed class Diamond : IModelGraph
    {
        public IReadOnlyList<DiagramNode> Nodes { get; } =
        [
            new("input_layer", "InputLayer", null, "(None, 8)"),
            new("left", "Dense", "(None, 8)", "(None, 4)"),
            new("right", "Dense", "(None, 8)", "(None, 4)"),
            new("concat", "Concatenate", "[(None, 4), (None, 4)]", "(None, 8)"),
        ];

        public IReadOnlyList<DiagramEdge> Edges { get; } = [new(0, 1), new(0, 2), new(1, 3), new(2, 3)];
    }

    [Test]
    public void Branches_SitSideBySide_OnOneRow()
    {
        var layout = new DiagramLayout(new Diamond(), _ => (100, 40), gapX: 20, gapY: 30, margin: 10);

        Assert.That(layout.Rows, Is.EqualTo(new[] { 0, 1, 1, 2 }));
        Assert.That(layout.Centres[1].Y, Is.EqualTo(layout.Centres[2].Y));
        Assert.That(layout.Centres[2].X - layout.Centres[1].X, Is.EqualTo(120), "box width + gap");
        Assert.That(layout.Centres[0].X, Is.EqualTo(layout.Centres[3].X), "single nodes centred");
        Assert.That((layout.Width, layout.Height), Is.EqualTo((2 * 100 + 20 + 2 * 10, 3 * 40 + 2 * 30 + 2 * 10)));
        string path = Path.Combine(_dir, "diamond.png");
        DiagramRenderer.Save(new Diamond(), path);
        Assert.That(PngImage.Read(path).InkFraction(), Is.InRange(0.1, 0.9));
    }

    [Test]
    public void FunctionalModel_DrawsItsBranchesAndMerges()
    {
        var image = new SequentialNet.Input([8], name: "image");
        var extra = new SequentialNet.Input([3], name: "extra");
        var h = new SequentialNet.Layers.Dense(4, name: "trunk").Apply(image);
        var skip = new SequentialNet.Layers.Add(name: "skip").Apply(h, new SequentialNet.Layers.Dense(4, name: "inner").Apply(h));
        var joined = new SequentialNet.Layers.Concatenate(name: "join").Apply(skip, extra);
        var model = new SequentialNet.Model([image, extra], [new SequentialNet.Layers.Dense(2, name: "head").Apply(joined)]);
        var graph = new FunctionalGraphDiagram(model);
        Assert.That(graph.Nodes.Select(n => n.Name), Is.EqualTo(new[] { "image", "extra", "trunk", "inner", "skip", "join", "head" }));
        Assert.That(graph.Edges.Select(e => (e.From, e.To)), Is.EquivalentTo(new[] { (0, 2), (2, 3), (2, 4), (3, 4), (4, 5), (1, 5), (5, 6) }));
        var layout = new DiagramLayout(graph, _ => (100, 40), gapX: 20, gapY: 30, margin: 10);
        Assert.That(layout.Rows[1], Is.EqualTo(0), "both inputs on the first row");
        string path = Path.Combine(_dir, "functional.png");
        SequentialNet.Plotting.Plots.Model(model, path);
        Assert.That(PngImage.Read(path).InkFraction(), Is.InRange(0.01, 0.9));
    }

    [Test]
    public void EdgeAgainstTheOrder_IsAClearError()
    {
        var ex = Assert.Throws<ArgumentException>(() => new DiagramLayout(new Backwards(), _ => (10, 10), 1, 1, 1));
        Assert.That(ex!.Message, Does.Contain("Received: an edge from node 1 to node 0"));
    }

    private sealed class Backwards : IModelGraph
    {
        public IReadOnlyList<DiagramNode> Nodes { get; } = [new("a", "InputLayer", null, "?"), new("b", "Dense", "?", "?")];

        public IReadOnlyList<DiagramEdge> Edges { get; } = [new(1, 0)];
    }
}
