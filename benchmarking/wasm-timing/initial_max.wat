;; The largest initial memory (Limits::max_memory_pages), allocated and zeroed at every load:
;; deploy and call of a module that does nothing else.
(module
  (memory (export "memory") 128)
  (func (export "constructor"))
  (func (export "run")))
