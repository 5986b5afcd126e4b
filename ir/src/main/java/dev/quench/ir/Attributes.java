package dev.quench.ir;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A node's attributes. Values are Long, long[], Float, float[], String, String[], Tensor or Graph
 * (a subgraph). Getters check the kind and name the attribute on a mismatch.
 */
public final class Attributes {
  private final Map<String, Object> map = new LinkedHashMap<>();

  public Attributes put(String name, Object value) {
    map.put(name, value);
    return this;
  }

  public Attributes copy() {
    Attributes a = new Attributes();
    a.map.putAll(map);
    return a;
  }

  public Attributes remove(String name) {
    map.remove(name);
    return this;
  }

  public boolean has(String name) {
    return map.containsKey(name);
  }

  public Object raw(String name) {
    return map.get(name);
  }

  public Map<String, Object> asMap() {
    return Collections.unmodifiableMap(map);
  }

  private <T> T get(String name, Class<T> kind) {
    Object v = map.get(name);
    if (v == null) return null;
    if (!kind.isInstance(v)) throw new QuenchException("attribute '" + name + "' should be " + kind.getSimpleName() + " but is " + v.getClass().getSimpleName());
    return kind.cast(v);
  }

  public long getInt(String name, long def) {
    Long v = get(name, Long.class);
    return v == null ? def : v;
  }

  public float getFloat(String name, float def) {
    Object v = map.get(name);
    if (v instanceof Long lv) return lv;
    Float f = get(name, Float.class);
    return f == null ? def : f;
  }

  public String getString(String name, String def) {
    String v = get(name, String.class);
    return v == null ? def : v;
  }

  public long[] getInts(String name) {
    Object v = map.get(name);
    if (v instanceof Long lv) return new long[] {lv};
    return get(name, long[].class);
  }

  public float[] getFloats(String name) {
    return get(name, float[].class);
  }

  public Tensor getTensor(String name) {
    return get(name, Tensor.class);
  }

  public Graph getGraph(String name) {
    return get(name, Graph.class);
  }

  /** Ints attribute as int[], or {@code def} when absent. */
  public int[] getIntArray(String name, int[] def) {
    long[] v = getInts(name);
    if (v == null) return def;
    int[] r = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      QuenchException.check(v[i] >= Integer.MIN_VALUE && v[i] <= Integer.MAX_VALUE, "attribute '%s' value %d out of range", name, v[i]);
      r[i] = (int) v[i];
    }
    return r;
  }
}
