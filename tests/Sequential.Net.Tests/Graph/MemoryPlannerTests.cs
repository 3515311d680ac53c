using SequentialNet.Graph;
using SequentialNet.Layers;

namespace SequentialNet.Tests.Graph;

/// <summary>
/// The O(n log n) memory planner places every value exactly where a scan of the live ranges in offset
/// order (the first-fit planner it replaced, restated here) puts it, and its gap tree answers like a list.
/// </summary>
public class MemoryPlannerTests
{
    [TestCase(1), TestCase(7), TestCase(64)]
    public void PlacementsAreThoseOfAFirstFitScan(int batch)
    {
        Utils.SetRandomSeed(8);
        using var model = new Sequential(new Dense(16, activation: "relu", inputShape: [6]), new Dropout(0.3), new BatchNormalization(),
            new Dense(16, activation: "tanh"), new Reshape([4, 4]), new Flatten(), new Dense(3, activation: "softmax"));
        model.Compile(optimizer: "adam", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"]);
        var x = new Tensor(new float[6 * batch], batch, 6);
        model.Fit(x, new Tensor(new float[batch], batch), epochs: 1, batchSize: batch, verbose: 0);
        foreach (var part in new[] { model.CompiledForTests!.Graphs.Train, model.CompiledForTests.Graphs.Evaluate })
        {
            var order = ExecutionPlan.LiveOrder(part.Builder.Nodes, part.Effects);
            var fixedNodes = new HashSet<Node>(order.Where(n => n.Inputs.Length == 0));
            var keep = new HashSet<Node>(part.Effects);
            var placements = new Dictionary<Node, MemoryPlanner.Placement>();
            int arena = MemoryPlanner.Plan(order, fixedNodes, keep, batch, placements);
            var (expected, expectedArena) = FirstFitScan(order, fixedNodes, keep, batch);
            Assert.That(placements, Is.EquivalentTo(expected));
            Assert.That(arena, Is.EqualTo(expectedArena));
            Assert.That(placements.Count, Is.GreaterThan(part == model.CompiledForTests.Graphs.Train ? 20 : 8), "the graph has something to place");
        }
    }

    /// <summary>The planner before it was made O(n log n): per op, drop ended ranges, sort the live ones by offset, take the first gap.</summary>
    private static (Dictionary<Node, MemoryPlanner.Placement>, int) FirstFitScan(List<Node> order, HashSet<Node> fixedNodes, HashSet<Node> keep, int batch)
    {
        var lastUse = new Dictionary<Node, int>();
        for (int i = 0; i < order.Count; i++)
        {
            foreach (Node input in order[i].Inputs) lastUse[MemoryPlanner.Root(input)] = i;
            lastUse.TryAdd(MemoryPlanner.Root(order[i]), i);
        }
        foreach (Node n in keep) lastUse[MemoryPlanner.Root(n)] = order.Count;
        var live = new List<(int Offset, int Length, int End)>();
        var result = new Dictionary<Node, MemoryPlanner.Placement>();
        int arena = 0;
        for (int i = 0; i < order.Count; i++)
        {
            Node node = order[i];
            if (node.Op.IsAlias || fixedNodes.Contains(node)) continue;
            live.RemoveAll(b => b.End < i);
            int length = Math.Max(16, (node.Size(batch) + 15) / 16 * 16);
            live.Sort((a, b) => a.Offset.CompareTo(b.Offset));
            int candidate = 0;
            foreach (var block in live)
            {
                if (candidate + length <= block.Offset) break;
                candidate = Math.Max(candidate, block.Offset + block.Length);
            }
            live.Add((candidate, length, lastUse[node]));
            result[node] = new MemoryPlanner.Placement(candidate, length);
            arena = Math.Max(arena, candidate + length);
        }
        return (result, arena);
    }

    [Test]
    public void TheGapTreeAnswersLikeAList()
    {
        var random = new Random(5);
        var gaps = new FreeGaps();
        var list = new SortedDictionary<int, int>();
        for (int step = 0; step < 20_000; step++)
        {
            int offset = random.Next(0, 5000) * 16;
            if (random.Next(3) == 0 && list.Count > 0)
            {
                int at = list.Keys.ElementAt(random.Next(list.Count));
                gaps.Remove(at);
                list.Remove(at);
            }
            else if (!list.Any(g => offset < g.Key + g.Value && g.Key < offset + 16 * 8))
            {
                int length = 16 * random.Next(1, 8);
                gaps.Add(offset, length);
                list[offset] = length;
            }
            int want = 16 * random.Next(1, 10);
            Assert.That(gaps.FirstFit(want), Is.EqualTo(list.Where(g => g.Value >= want).Select(g => g.Key).DefaultIfEmpty(-1).First()), $"step {step}: first fit of {want}");
            Assert.That(gaps.LengthAt(offset), Is.EqualTo(list.GetValueOrDefault(offset)), $"step {step}: length at {offset}");
            var before = list.Where(g => g.Key < offset).Select(g => ((int, int)?)(g.Key, g.Value)).LastOrDefault();
            Assert.That(gaps.Before(offset), Is.EqualTo(before), $"step {step}: gap before {offset}");
        }
    }
}
