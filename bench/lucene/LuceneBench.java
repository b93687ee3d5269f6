import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.ConcurrentMergeScheduler;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SerialMergeScheduler;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.FSDirectory;

/**
 * The Lucene peer of the search-engine benchmark (src/bench/search-engines.ts).
 *
 *   index  <corpus.jsonl> <indexDir> <ramBufferMB> <threads>
 *   search <indexDir> <queries.tsv> <k1> <b> <k> <all|any> <warmupQueries> <warmupSeconds> <idsKept> <maxSeconds>
 *
 * With one thread, indexing reads, parses and adds documents on that thread and merges serially.
 * With more, the main thread reads lines and that many threads parse and add documents to the one
 * IndexWriter (Lucene indexes into one in-memory segment per thread) while merges run concurrently:
 * how Lucene uses several cores, so throughput per core compares with ours on equal terms. The document id is kept as a numeric doc value, not a stored field, so mapping hits
 * back to corpus ids costs what a doc-values lookup costs. BM25's k1 and b do not change the
 * length norms written at index time, so only searching takes them. Every report is one JSON
 * line; the timed pass stops after the query that crosses maxSeconds.
 */
public final class LuceneBench {
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("index") && args.length == 5) {
      index(args[1], args[2], Double.parseDouble(args[3]), Integer.parseInt(args[4]));
    } else if (args.length > 0 && args[0].equals("search") && args.length == 11) {
      search(args[1], args[2], Float.parseFloat(args[3]), Float.parseFloat(args[4]), Integer.parseInt(args[5]),
          args[6], Integer.parseInt(args[7]), Double.parseDouble(args[8]), Integer.parseInt(args[9]), Double.parseDouble(args[10]));
    } else {
      System.err.println("usage: LuceneBench index <corpus.jsonl> <indexDir> <ramBufferMB> <threads>");
      System.err.println("       LuceneBench search <indexDir> <queries.tsv> <k1> <b> <k> <all|any> <warmupQueries> <warmupSeconds> <idsKept> <maxSeconds>");
      System.exit(2);
    }
  }

  private static void index(String corpus, String indexDirectory, double ramBufferMB, int threads) throws Exception {
    long start = System.nanoTime();
    IndexWriterConfig config = new IndexWriterConfig(new EnglishAnalyzer());
    config.setSimilarity(new BM25Similarity());
    config.setRAMBufferSizeMB(ramBufferMB);
    config.setMergeScheduler(threads == 1 ? new SerialMergeScheduler() : new ConcurrentMergeScheduler());
    config.setOpenMode(IndexWriterConfig.OpenMode.CREATE);
    long documents;
    try (FSDirectory directory = FSDirectory.open(Paths.get(indexDirectory));
        IndexWriter writer = new IndexWriter(directory, config);
        BufferedReader reader = Files.newBufferedReader(Paths.get(corpus), StandardCharsets.UTF_8)) {
      documents = threads == 1 ? addSerially(reader, corpus, writer) : addConcurrently(reader, corpus, writer, threads);
      writer.commit();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(Locale.ROOT, "{\"documents\":%d,\"seconds\":%.3f}%n", documents, seconds);
  }

  /** Lines of the corpus with the number of the first, handed from the reading thread to an indexing one. */
  private record LineBatch(long firstLine, List<String> lines) {}

  private static final int LINES_PER_BATCH = 256;
  private static final LineBatch END = new LineBatch(0, List.of());

  private static long addSerially(BufferedReader reader, String corpus, IndexWriter writer) throws IOException {
    DocumentAdder adder = new DocumentAdder(writer, corpus);
    String line;
    long lineNumber = 0;
    while ((line = reader.readLine()) != null) adder.add(line, ++lineNumber);
    return adder.documents;
  }

  private static long addConcurrently(BufferedReader reader, String corpus, IndexWriter writer, int threads) throws Exception {
    BlockingQueue<LineBatch> queue = new ArrayBlockingQueue<>(4 * threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Long>> added = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        added.add(pool.submit(() -> {
          DocumentAdder adder = new DocumentAdder(writer, corpus);
          for (LineBatch batch = queue.take(); batch != END; batch = queue.take()) {
            for (int i = 0; i < batch.lines().size(); i++) adder.add(batch.lines().get(i), batch.firstLine() + i);
          }
          return adder.documents;
        }));
      }
      List<String> lines = new ArrayList<>(LINES_PER_BATCH);
      long lineNumber = 0;
      String line;
      while ((line = reader.readLine()) != null) {
        lines.add(line);
        if (lines.size() == LINES_PER_BATCH) {
          queue.put(new LineBatch(lineNumber + 1, lines));
          lineNumber += lines.size();
          lines = new ArrayList<>(LINES_PER_BATCH);
        }
      }
      if (!lines.isEmpty()) queue.put(new LineBatch(lineNumber + 1, lines));
      for (int t = 0; t < threads; t++) queue.put(END);
      long documents = 0;
      for (Future<Long> count : added) documents += count.get();
      return documents;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Parses corpus lines and adds them to the writer, reusing one document (one per thread). */
  private static final class DocumentAdder {
    private final IndexWriter writer;
    private final String corpus;
    private final Document document = new Document();
    private final NumericDocValuesField id = new NumericDocValuesField("id", 0);
    private final Field text = new TextField("text", "", Field.Store.NO);
    long documents;

    DocumentAdder(IndexWriter writer, String corpus) {
      this.writer = writer;
      this.corpus = corpus;
      document.add(id);
      document.add(text);
    }

    void add(String line, long lineNumber) throws IOException {
      if (line.isEmpty()) return;
      String[] record = JsonRecord.idAndText(line, corpus, lineNumber);
      id.setLongValue(Long.parseLong(record[0]));
      text.setStringValue(record[1]);
      writer.addDocument(document);
      documents++;
    }
  }

  private static void search(String indexDirectory, String queryFile, float k1, float b, int k, String match,
      int warmupQueries, double warmupSeconds, int idsKept, double maxSeconds) throws IOException {
    List<String> queries = new ArrayList<>();
    for (String line : Files.readAllLines(Paths.get(queryFile), StandardCharsets.UTF_8)) {
      int tab = line.indexOf('\t');
      if (!line.isEmpty()) queries.add(tab < 0 ? line : line.substring(tab + 1));
    }
    BooleanClause.Occur occur = match.equals("all") ? BooleanClause.Occur.MUST : BooleanClause.Occur.SHOULD;
    Analyzer analyzer = new EnglishAnalyzer();
    try (FSDirectory directory = FSDirectory.open(Paths.get(indexDirectory));
        DirectoryReader reader = DirectoryReader.open(directory)) {
      IndexSearcher searcher = new IndexSearcher(reader);
      searcher.setSimilarity(new BM25Similarity(k1, b));
      List<LeafReaderContext> leaves = reader.leaves();
      long warmupStart = System.nanoTime();
      for (int i = 0; i < Math.min(warmupQueries, queries.size()); i++) {
        searcher.search(buildQuery(analyzer, queries.get(i), occur), k);
        if ((System.nanoTime() - warmupStart) / 1e9 >= warmupSeconds) break;
      }
      PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
      long total = System.nanoTime();
      StringBuilder line = new StringBuilder();
      for (String query : queries) {
        long start = System.nanoTime();
        TopDocs top = searcher.search(buildQuery(analyzer, query, occur), k);
        // Every hit is mapped to its corpus id, as the other engines return corpus ids.
        long[] ids = new long[top.scoreDocs.length];
        for (int i = 0; i < ids.length; i++) ids[i] = corpusId(leaves, top.scoreDocs[i]);
        long nanos = System.nanoTime() - start;
        line.setLength(0);
        line.append("{\"micros\":").append(nanos / 1000.0).append(",\"hits\":").append(ids.length).append(",\"ids\":[");
        for (int i = 0; i < Math.min(idsKept, ids.length); i++) {
          if (i > 0) line.append(',');
          line.append(ids[i]);
        }
        out.println(line.append("]}"));
        if ((System.nanoTime() - total) / 1e9 >= maxSeconds) break;
      }
      out.printf(Locale.ROOT, "{\"seconds\":%.6f}%n", (System.nanoTime() - total) / 1e9);
      out.flush();
    }
  }

  /** Query text analysed exactly like documents, then one clause per distinct term. */
  private static BooleanQuery buildQuery(Analyzer analyzer, String text, BooleanClause.Occur occur) throws IOException {
    BooleanQuery.Builder builder = new BooleanQuery.Builder();
    List<String> seen = new ArrayList<>();
    try (TokenStream stream = analyzer.tokenStream("text", text)) {
      CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
      stream.reset();
      while (stream.incrementToken()) {
        String value = term.toString();
        if (seen.contains(value)) continue;
        seen.add(value);
        builder.add(new TermQuery(new Term("text", value)), occur);
      }
      stream.end();
    }
    return builder.build();
  }

  private static long corpusId(List<LeafReaderContext> leaves, ScoreDoc hit) throws IOException {
    LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(hit.doc, leaves));
    NumericDocValues ids = leaf.reader().getNumericDocValues("id");
    if (ids == null || !ids.advanceExact(hit.doc - leaf.docBase)) throw new IllegalStateException("hit without id: " + hit.doc);
    return ids.longValue();
  }
}
