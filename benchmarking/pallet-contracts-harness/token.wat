;; The hand-written token of QVM's pallets/qvm/fixtures/balance_map.wat on pallet-contracts'
;; `seal` ABI: the same storage layout (32-byte account → u64 LE balance), the same work per
;; transfer (caller, input, 2 reads, 2 writes, 1 event with one topic).
;; deploy input: supply (u64 LE), minted to the deployer.
;; call input: [to: 32 bytes][amount: u64 LE] transfers (reverts if the balance is too small);
;; [account: 32 bytes] returns its balance (u64 LE).
(module
  (import "seal0" "input" (func $input (param i32 i32)))
  (import "seal0" "caller" (func $caller (param i32 i32)))
  (import "seal1" "get_storage" (func $sread (param i32 i32 i32 i32) (result i32)))
  (import "seal2" "set_storage" (func $swrite (param i32 i32 i32 i32) (result i32)))
  (import "seal0" "deposit_event" (func $emit (param i32 i32 i32 i32)))
  (import "seal0" "seal_return" (func $return (param i32 i32 i32)))
  (import "env" "memory" (memory 1 1))
  (data (i32.const 0x300) "insufficient")
  ;; One topic, SCALE Vec<H256>: length 1, then "transfer" zero-padded to 32 bytes.
  (data (i32.const 0x400) "\04transfer")

  ;; Reads the input (at most $cap bytes) to 0x100; its length.
  (func $read_input (param $cap i32) (result i32)
    (i32.store (i32.const 0xf0) (local.get $cap))
    (call $input (i32.const 0x100) (i32.const 0xf0))
    (i32.load (i32.const 0xf0)))
  ;; The caller to 0x0.
  (func $read_caller
    (i32.store (i32.const 0xf4) (i32.const 32))
    (call $caller (i32.const 0) (i32.const 0xf4)))
  ;; Balance of the 32-byte account at $ptr (0 if absent).
  (func $get (param $ptr i32) (result i64)
    (i32.store (i32.const 0xf8) (i32.const 8))
    (if (result i64) (i32.eqz (call $sread (local.get $ptr) (i32.const 32) (i32.const 0x200) (i32.const 0xf8)))
      (then (i64.load (i32.const 0x200)))
      (else (i64.const 0))))
  (func $put (param $ptr i32) (param $v i64)
    (i64.store (i32.const 0x208) (local.get $v))
    (drop (call $swrite (local.get $ptr) (i32.const 32) (i32.const 0x208) (i32.const 8))))

  (func (export "deploy")
    (drop (call $read_input (i32.const 8)))
    (call $read_caller)
    (call $put (i32.const 0) (i64.load (i32.const 0x100))))

  (func (export "call") (local $amount i64) (local $from i64)
    (if (i32.eq (call $read_input (i32.const 40)) (i32.const 32))
      (then
        (i64.store (i32.const 0x200) (call $get (i32.const 0x100)))
        (call $return (i32.const 0) (i32.const 0x200) (i32.const 8))))
    (local.set $amount (i64.load (i32.const 0x120)))
    (call $read_caller)
    (local.set $from (call $get (i32.const 0)))
    (if (i64.lt_u (local.get $from) (local.get $amount))
      (then (call $return (i32.const 1) (i32.const 0x300) (i32.const 12))))
    (call $put (i32.const 0) (i64.sub (local.get $from) (local.get $amount)))
    (call $put (i32.const 0x100) (i64.add (call $get (i32.const 0x100)) (local.get $amount)))
    (call $emit (i32.const 0x400) (i32.const 33) (i32.const 0x100) (i32.const 40)))
)
