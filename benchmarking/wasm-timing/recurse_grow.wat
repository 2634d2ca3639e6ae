;; Constructor: recursion, doubling memory at every level (a fuzz find).
(module
  (memory (export "memory") 1)
  (func $r (drop (memory.grow (memory.size))) (call $r))
  (func (export "constructor") (call $r))
  (func (export "run")))
